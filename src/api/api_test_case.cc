// RunCase and the checks every dialect's answer gets. Errors are checked for their whole body
// shape, not just the code, because SDKs build their exceptions from exactly those keys.
#include "api/api_test_case.h"

#include <algorithm>
#include <cctype>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

namespace spacestore::testing {
namespace {

namespace json = boost::json;

constexpr std::string_view kJsonUtf8 = "application/json;charset=utf-8";
constexpr std::string_view kKooDriveJson = "application/json;charset=UTF-8";

enum class Dialect { kDingTalk, kKooDrive, kTransfer };

Dialect DialectOf(std::string_view target) {
  if (target.starts_with("/koodrive/")) return Dialect::kKooDrive;
  if (target.starts_with("/blobs/")) return Dialect::kTransfer;
  return Dialect::kDingTalk;
}

Headers DefaultHeaders(std::string_view target) {
  switch (DialectOf(target)) {
    case Dialect::kDingTalk:
      return {{"x-acs-dingtalk-access-token", "{token}"}};
    case Dialect::kKooDrive:
      return {{"authorization", "Bearer {token}"}};
    case Dialect::kTransfer:
      break;
  }
  return {};
}

std::optional<std::string_view> ResponseHeader(const server::HttpResponse& response,
                                               std::string_view name) {
  for (const auto& [key, value] : response.headers) {
    if (std::equal(key.begin(), key.end(), name.begin(), name.end(),
                   [](char a, char b) { return std::tolower(a) == std::tolower(b); })) {
      return value;
    }
  }
  return std::nullopt;
}

// The JSON object of a reply; a test failure (and an empty object) when it is not one.
json::object ParseObject(std::string_view body) {
  boost::system::error_code ec;
  json::value value = json::parse(body, ec);
  if (ec || !value.is_object()) {
    ADD_FAILURE() << "not a JSON object: " << body;
    return {};
  }
  return std::move(value.get_object());
}

void ExpectFields(const json::object& reply, const std::vector<Field>& fields) {
  const json::value root(reply);
  for (const Field& field : fields) {
    boost::system::error_code ec;
    const json::value* found = root.find_pointer(field.pointer, ec);
    if (field.kind == json::kind::null) {
      EXPECT_EQ(found, nullptr) << field.pointer << " must be absent in " << json::serialize(root);
      continue;
    }
    if (found == nullptr) {
      ADD_FAILURE() << "no " << field.pointer << " in " << json::serialize(root);
      continue;
    }
    EXPECT_EQ(found->kind(), field.kind) << field.pointer << " is " << json::serialize(*found);
    if (!field.equals.empty()) {
      const std::string text =
          found->is_string() ? std::string(found->get_string()) : json::serialize(*found);
      EXPECT_EQ(text, field.equals) << field.pointer;
    }
  }
}

void ExpectHeaders(const server::HttpResponse& response, const ApiTestStack& stack,
                   const Headers& expected) {
  for (const auto& [name, value] : expected) {
    const auto got = ResponseHeader(response, name);
    if (!got) {
      ADD_FAILURE() << "no response header " << name;
    } else if (value != "*") {
      EXPECT_EQ(*got, stack.Expand(value)) << name;
    }
  }
}

void ExpectSuccess(const ApiCase& c, const ApiTestStack& stack, Dialect dialect,
                   const server::HttpRequest& request, server::HttpResponse& response) {
  const std::string body = ReadBody(response);
  if (dialect == Dialect::kKooDrive) {
    ExpectEnvelope(response, request, c.status, 0, "OK");
  } else {
    EXPECT_EQ(response.status, c.status) << body;
    EXPECT_EQ(response.content_type, c.content_type.empty() ? kJsonUtf8 : c.content_type);
  }
  if (c.response_body) {
    EXPECT_EQ(body, stack.Expand(*c.response_body));
  }
  if (c.fields.empty()) return;
  std::vector<Field> fields = c.fields;
  for (Field& field : fields) field.equals = stack.Expand(field.equals);
  ExpectFields(ParseObject(body), fields);
}

}  // namespace

std::vector<ApiCase> PerRoute(const std::vector<ScopedRoute>& routes, const ApiCase& proto) {
  auto with_scope = [](std::string text, std::string_view scope) {
    if (const size_t at = text.find("{scope}"); at != std::string::npos) {
      text.replace(at, std::string_view("{scope}").size(), scope);
    }
    return text;
  };
  std::vector<ApiCase> cases;
  for (const ScopedRoute& route : routes) {
    ApiCase c = proto;
    c.name = route.name;
    c.method = route.method;
    c.target = route.target;
    c.msg = with_scope(c.msg, route.scope);
    c.required_scope = with_scope(c.required_scope, route.scope);
    cases.push_back(std::move(c));
  }
  return cases;
}

std::vector<Field> Fields(std::initializer_list<std::vector<Field>> parts) {
  std::vector<Field> out;
  for (const auto& part : parts) out.insert(out.end(), part.begin(), part.end());
  return out;
}

std::string NestedJson(int depth) {
  return R"({"a":)" + std::string(depth - 1, '[') + std::string(depth - 1, ']') + "}";
}

void RunCase(ApiTestStack& stack, const ApiCase& c) {
  stack.Seed();
  for (const Step& step : c.before) {
    const server::HttpRequest request =
        stack.Request(step.method, step.target,
                      step.headers ? *step.headers : DefaultHeaders(step.target), step.body);
    server::HttpResponse response = stack.Send(request);
    const std::string body = ReadBody(response);
    ASSERT_EQ(response.status, 200)
        << "before: " << step.method << " " << request.target << ": " << body;
    for (const auto& [name, pointer] : step.keep) stack.SetFromReply(name, body, pointer);
  }
  if (c.advance_seconds > 0) stack.AdvanceSeconds(c.advance_seconds);
  if (c.blob_fault) stack.FailBlobStore(*c.blob_fault);
  if (c.faults) stack.InjectFaults(*c.faults);

  const server::HttpRequest request =
      stack.Request(c.method, c.target, c.headers ? *c.headers : DefaultHeaders(c.target), c.body);
  server::HttpResponse response = stack.Send(request, c.chunk_bytes);
  const Dialect dialect = DialectOf(request.path);
  if (c.code.empty()) {
    ExpectSuccess(c, stack, dialect, request, response);
  } else if (dialect == Dialect::kKooDrive) {
    ExpectEnvelope(response, request, c.status, std::stoll(c.code), c.msg);
  } else {
    ExpectErrorBody(response, request, c.status, c.code, c.required_scope);
    if (!c.msg.empty()) {
      ExpectFields(ParseObject(response.body), {{"/message", json::kind::string, c.msg}});
    }
  }
  ExpectHeaders(response, stack, c.response_headers);
}

void PrintTo(const ApiCase& c, std::ostream* os) {
  *os << c.name << ": " << c.method << " " << c.target;
}

std::string ReadBody(server::HttpResponse& response) {
  if (!response.source) return response.body;
  // As the server does: exactly the announced length, a chunk at a time.
  std::string out;
  char buffer[4096];
  while (out.size() < response.source_length) {
    const size_t want = std::min<uint64_t>(response.source_length - out.size(), sizeof buffer);
    const auto n = response.source->Read(buffer, want);
    if (!n || *n == 0) {
      ADD_FAILURE() << "the source ended after " << out.size() << " of " << response.source_length
                    << " bytes";
      break;
    }
    out.append(buffer, *n);
  }
  return out;
}

void ExpectErrorBody(const server::HttpResponse& response, const server::HttpRequest& request,
                     int status, std::string_view code, std::string_view required_scope) {
  EXPECT_EQ(response.status, status) << response.body;
  EXPECT_EQ(response.content_type, kJsonUtf8);
  const json::object body = ParseObject(response.body);
  EXPECT_EQ(body.size(), required_scope.empty() ? 3u : 4u) << response.body;
  ExpectFields(body, {{"/code", json::kind::string, std::string(code)},
                      {"/message", json::kind::string},
                      {"/requestid", json::kind::string, request.request_id}});
  if (!required_scope.empty()) {
    ExpectFields(body, {{"/accessdenieddetail/requiredScopes/0", json::kind::string,
                         std::string(required_scope)},
                        {"/accessdenieddetail/requiredScopes/1", json::kind::null}});
  }
}

void ExpectEnvelope(const server::HttpResponse& response, const server::HttpRequest& request,
                    int status, int64_t code, std::string_view msg) {
  EXPECT_EQ(response.status, status) << response.body;
  EXPECT_EQ(response.content_type, kKooDriveJson);
  const auto trace = ResponseHeader(response, "X-Traceid");
  if (const auto sent = request.Header("x-traceid")) {
    EXPECT_EQ(trace, sent);
  } else {
    ASSERT_TRUE(trace.has_value()) << "no X-Traceid";
    EXPECT_EQ(trace->size(), 58u);
    EXPECT_TRUE(std::all_of(trace->begin(), trace->end(), [](unsigned char ch) {
      return std::isalnum(ch) != 0;
    })) << *trace;
  }
  const json::object body = ParseObject(response.body);
  ExpectFields(body,
               {{"/code", json::kind::int64, std::to_string(code)}, {"/msg", json::kind::string}});
  if (const auto* got = body.if_contains("msg"); got != nullptr && got->is_string()) {
    EXPECT_TRUE(got->get_string().starts_with(msg)) << "msg " << got->get_string();
  }
  if (code != 0) {
    EXPECT_FALSE(body.contains("data")) << response.body;
  }
}

}  // namespace spacestore::testing
