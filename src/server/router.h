#pragma once

#include <algorithm>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace spacestore::server {

// The value of path parameter `name` among `params`, or empty.
inline std::string_view PathParam(const std::vector<std::pair<std::string, std::string>>& params,
                                  std::string_view name) {
  for (const auto& [k, v] : params) {
    if (k == name) return v;
  }
  return {};
}

// Router maps (method, path template) to a value of type T. Templates are '/'-separated; a
// segment "{name}" matches any one non-empty segment and captures it. When several templates
// match, the one whose first differing segment is literal wins, so "/space/usage/overview"
// beats "/space/{ownerId}" whatever the order of Add calls.
//
// Thread-safety: Add() during setup only; Find() is const and safe from any thread after.
template <class T>
class Router {
 public:
  enum class Outcome { kMatched, kNotFound, kMethodNotAllowed };

  struct Match {
    Outcome outcome = Outcome::kNotFound;
    const T* value = nullptr;
    // The template that matched the path (also for kMethodNotAllowed); empty for kNotFound.
    // Points into the router: valid while the router lives.
    std::string_view route;
    std::vector<std::pair<std::string, std::string>> params;

    // Captured parameter by name; empty if absent.
    std::string_view Param(std::string_view name) const { return PathParam(params, name); }
  };

  void Add(std::string method, std::string_view path_template, T value) {
    routes_.push_back(Route{std::move(method), std::string(path_template), Split(path_template),
                            std::move(value)});
  }

  Match Find(std::string_view method, std::string_view path) const {
    const std::vector<std::string_view> segments = Split<std::string_view>(path);
    Match best;
    // The most specific template decides what the path is, whatever the method: "POST
    // /space/departmentList" is a wrong method on a literal route, not an {ownerId}.
    const Route* shape = nullptr;
    for (const Route& route : routes_) {
      if (Matches(route, segments) && (shape == nullptr || MoreSpecific(route, *shape))) {
        shape = &route;
      }
    }
    if (shape == nullptr) return best;  // kNotFound
    const Route* best_route = nullptr;
    for (const Route& route : routes_) {
      if (route.method == method && route.segments == shape->segments) best_route = &route;
    }
    best.route = shape->path_template;
    if (best_route == nullptr) {
      best.outcome = Outcome::kMethodNotAllowed;
      return best;
    }
    best.outcome = Outcome::kMatched;
    best.value = &best_route->value;
    for (size_t i = 0; i < segments.size(); ++i) {
      const std::string& seg = best_route->segments[i];
      if (IsParam(seg)) {
        best.params.emplace_back(seg.substr(1, seg.size() - 2), std::string(segments[i]));
      }
    }
    return best;
  }

 private:
  struct Route {
    std::string method;
    std::string path_template;  // As added: the route's metrics label.
    std::vector<std::string> segments;
    T value;
  };

  template <class S = std::string>
  static std::vector<S> Split(std::string_view path) {
    std::vector<S> out;
    size_t pos = 0;
    while (pos < path.size()) {
      if (path[pos] == '/') {
        ++pos;
        continue;
      }
      const size_t end = std::min(path.find('/', pos), path.size());
      out.emplace_back(path.substr(pos, end - pos));
      pos = end;
    }
    return out;
  }

  static bool IsParam(const std::string& seg) {
    return seg.size() >= 2 && seg.front() == '{' && seg.back() == '}';
  }

  static bool Matches(const Route& route, const std::vector<std::string_view>& segments) {
    if (route.segments.size() != segments.size()) return false;
    for (size_t i = 0; i < segments.size(); ++i) {
      if (!IsParam(route.segments[i]) && route.segments[i] != segments[i]) return false;
    }
    return true;
  }

  static bool MoreSpecific(const Route& a, const Route& b) {
    for (size_t i = 0; i < a.segments.size(); ++i) {
      const bool a_param = IsParam(a.segments[i]);
      const bool b_param = IsParam(b.segments[i]);
      if (a_param != b_param) return !a_param;
    }
    return false;
  }

  std::vector<Route> routes_;
};

}  // namespace spacestore::server
