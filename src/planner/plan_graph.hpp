#pragma once
/// A plan's DAG: nodes (atomic tasks) in order and edges in creation order (spec §4).

#include <boost/json/array.hpp>
#include <boost/json/value.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tascade::planner {

/// What a node stands for, which also anchors it to the contract across reruns.
enum class node_kind : uint8_t { scaffold, db, be, fe_foundation, fe_flow, test, package, custom };

/// "scaffold", "db", "be", "fe-foundation", "fe-flow", "test", "package" or "custom".
std::string_view to_string(node_kind k);

struct plan_node {
  node_kind kind = node_kind::custom;
  std::string anchor;  ///< the entity, tag group or operationId the node was made for; "" else
  std::string title;
  std::string domain;  ///< DB, BE, FE, Test, Package or Data-Pipeline
  std::string description;
  std::vector<std::string> tasks;  ///< internal steps; drive budgets and CCS
  std::vector<std::string> acceptance_criteria;
  std::vector<std::string> contract_ops;  ///< operationIds, duplicates kept
  boost::json::array artifacts_out;
  boost::json::value schema_definition;  ///< the entity's schema for DB nodes, else null
  uint32_t part = 0;                     ///< 1-based part number after partitioning, 0 when whole
  uint32_t parts = 0;                    ///< number of parts, 0 when whole
};

struct plan_edge {
  size_t from = 0;  ///< the node `to` depends on
  size_t to = 0;
  std::string description;
};

struct plan_graph {
  std::vector<plan_node> nodes;
  std::vector<plan_edge> edges;

  /// The in-degree and out-degree of every node.
  std::vector<size_t> in_degrees() const;
  std::vector<size_t> out_degrees() const;
  /// The predecessors of node `i` in edge creation order (`dependencies` of spec §1.5).
  std::vector<std::vector<size_t>> predecessors() const;
};

/// A topological order by Kahn's algorithm (lowest index first among ready nodes), or nullopt
/// when the edges hold a cycle (or a self-edge).
std::optional<std::vector<size_t>> topological_order(const plan_graph& g);

/// The number of nodes on the longest path (spec Q13's `dag.longestPath`); 0 for no nodes or a
/// cycle.
size_t longest_path(const plan_graph& g);

}  // namespace tascade::planner
