// seam: the executable. Everything happens in seam::app (src/app/); see README.md and inputs/ for the
// tutorial decks.
#include "app/main.h"

int main(int argc, char **argv) { return seam::app::main(argc, argv); }
