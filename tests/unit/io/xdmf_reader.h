// Test support: reads an XDMF temporal collection the way a user script would (parse the XML, follow
// each grid to its HDF5 file and dataset paths). Throws if the text is not well-formed XML.
#pragma once

#include <boost/property_tree/ptree.hpp>
#include <boost/property_tree/xml_parser.hpp>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace seam::io::test_support
{
  /// Where one heavy array lives: HDF5 file (absolute, resolved against the .xdmf) and dataset path.
  struct HeavyData
  {
    std::string file;
    std::string dataset;
    std::string dimensions; ///< the DataItem's Dimensions attribute
  };

  struct GridInfo
  {
    std::string                       name;
    double                            time = 0;
    std::string                       topology;
    std::size_t                       n_elements = 0;
    HeavyData                         connectivity; ///< empty for Polyvertex
    std::string                       geometry_type;
    HeavyData                         geometry;
    std::map<std::string, HeavyData>  attributes; ///< by Name
    std::map<std::string, std::string> attribute_types; ///< Scalar | Vector
  };

  inline HeavyData heavy(const boost::property_tree::ptree &item, const std::filesystem::path &dir)
  {
    HeavyData   h;
    std::string text = item.get_value<std::string>();
    text.erase(0, text.find_first_not_of(" \n\t"));
    text.erase(text.find_last_not_of(" \n\t") + 1);
    const auto colon = text.rfind(':');
    h.file = (dir / text.substr(0, colon)).string();
    h.dataset = text.substr(colon + 1);
    h.dimensions = item.get<std::string>("<xmlattr>.Dimensions");
    return h;
  }

  /// Parses `xdmf_path`; throws boost::property_tree::xml_parser_error on malformed XML and
  /// boost::property_tree::ptree_bad_path if the XDMF structure is missing.
  inline std::vector<GridInfo> read_xdmf(const std::string &xdmf_path)
  {
    boost::property_tree::ptree tree;
    boost::property_tree::read_xml(xdmf_path, tree);
    const std::filesystem::path dir = std::filesystem::path(xdmf_path).parent_path();
    const auto &collection = tree.get_child("Xdmf.Domain.Grid");
    if (collection.get<std::string>("<xmlattr>.GridType") != "Collection" ||
        collection.get<std::string>("<xmlattr>.CollectionType") != "Temporal")
      throw std::runtime_error("not a temporal collection");
    std::vector<GridInfo> grids;
    for (const auto &[tag, grid] : collection)
      {
        if (tag != "Grid")
          continue;
        GridInfo g;
        g.name = grid.get<std::string>("<xmlattr>.Name");
        g.time = grid.get<double>("Time.<xmlattr>.Value");
        g.topology = grid.get<std::string>("Topology.<xmlattr>.TopologyType");
        g.n_elements = grid.get<std::size_t>("Topology.<xmlattr>.NumberOfElements");
        if (const auto item = grid.get_child_optional("Topology.DataItem"))
          g.connectivity = heavy(*item, dir);
        g.geometry_type = grid.get<std::string>("Geometry.<xmlattr>.GeometryType");
        g.geometry = heavy(grid.get_child("Geometry.DataItem"), dir);
        for (const auto &[atag, attribute] : grid)
          if (atag == "Attribute")
            {
              const std::string name = attribute.get<std::string>("<xmlattr>.Name");
              g.attributes[name] = heavy(attribute.get_child("DataItem"), dir);
              g.attribute_types[name] = attribute.get<std::string>("<xmlattr>.AttributeType");
            }
        grids.push_back(g);
      }
    return grids;
  }
} // namespace seam::io::test_support
