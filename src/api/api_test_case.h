#pragma once

#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/kind.hpp>

#include "api/api_test_stack.h"
#include "base/result.h"
#include "server/http_message.h"

namespace spacestore::testing {

// One api test as data: a request, what to do before it, and what the answer must be. The
// tables in src/api/*/*_test.cc are vectors of these, run by RunCase. Strings may hold
// ApiTestStack placeholders. Which dialect answers, and so which checks apply, follows from
// the target's path as in ApiTestStack::Send.

// A JSON member a success reply must have: where (a JSON pointer, RFC 6901), its kind and,
// optionally, its value (a string's characters, or any other value serialized). The kind
// `null` means the member must be absent (replies never send null).
struct Field {
  std::string pointer;
  boost::json::kind kind;
  std::string equals = {};
};

// A request sent before the one under test, which must answer 200.
struct Step {
  std::string method;
  std::string target;
  std::string body = {};
  std::optional<Headers> headers = std::nullopt;  // Unset: as for ApiCase::headers.
  // Placeholders to set from the reply: {name, JSON pointer}.
  std::vector<std::pair<std::string, std::string>> keep = {};
};

struct ApiCase {
  const char* name = "";  // The gtest parameter name: letters and digits.
  std::string method = {};
  std::string target = {};
  std::string body = {};
  // Request headers; unset: the dialect's credentials for {token} (DingTalk
  // x-acs-dingtalk-access-token, KooDrive Authorization "Bearer ..."; none for /blobs/).
  std::optional<Headers> headers = std::nullopt;

  // Expected answer. `code` empty means success (KooDrive code 0, msg "OK"); otherwise the
  // DingTalk or transfer `code`, or the KooDrive code as decimal text.
  int status = 200;
  std::string code = {};
  // KooDrive: how `msg` must start; DingTalk and transfer errors: the exact `message`.
  std::string msg = {};
  std::string required_scope = {};  // DingTalk 403: accessdenieddetail.requiredScopes[0].
  std::vector<Field> fields = {};   // Success: members of the JSON reply.
  Headers response_headers = {};    // Must be present with these values ("*": any value).
  std::optional<std::string> response_body = std::nullopt;  // Exact body (streamed or not).
  std::string content_type = {};  // Success: instead of the dialect's JSON content type.

  // Arrangement, in this order, before the request.
  std::vector<Step> before = {};
  int64_t advance_seconds = 0;
  std::optional<Error> blob_fault = std::nullopt;           // ApiTestStack::FailBlobStore.
  std::optional<storage::FaultPlan> faults = std::nullopt;  // ApiTestStack::InjectFaults.
  size_t chunk_bytes = 0;                                   // Upload PUTs: body pieces (0: one).
};

// A route of a dialect's table and the scope it requires.
struct ScopedRoute {
  const char* name;
  const char* method;
  std::string target;
  const char* scope;
};

// One case per route: `proto` with the route's name, method and target, and its scope in place
// of "{scope}" in `msg` and `required_scope`.
std::vector<ApiCase> PerRoute(const std::vector<ScopedRoute>& routes, const ApiCase& proto);

// The concatenation of field lists (for replies that embed a shared shape).
std::vector<Field> Fields(std::initializer_list<std::vector<Field>> parts);

// A JSON object nested `depth` deep: {"a":[[...]]} with depth - 1 arrays.
std::string NestedJson(int depth);

// Seeds `stack`, arranges, sends and checks `c`.
void RunCase(ApiTestStack& stack, const ApiCase& c);

// gtest: cases print as their name and request; INSTANTIATE_TEST_SUITE_P(..., CaseName())
// names each case by its `name` (of any parameter type that has one).
void PrintTo(const ApiCase& c, std::ostream* os);
struct CaseName {
  template <class Case>
  std::string operator()(const ::testing::TestParamInfo<Case>& p) const {
    return p.param.name;
  }
};

// The body of a response: `body`, or everything its source streams.
std::string ReadBody(server::HttpResponse& response);

// A DingTalk or transfer error: `status`, Content-Type application/json;charset=utf-8 and the
// body {"code","message","requestid"} (plus accessdenieddetail for `required_scope`) with
// `code` and the request's id.
void ExpectErrorBody(const server::HttpResponse& response, const server::HttpRequest& request,
                     int status, std::string_view code, std::string_view required_scope = {});

// A KooDrive answer: `status`, Content-Type application/json;charset=UTF-8, X-Traceid (the
// request's, or 58 generated letters and digits) and the envelope {"code","msg",...} with
// `code` and a `msg` starting with `msg`.
void ExpectEnvelope(const server::HttpResponse& response, const server::HttpRequest& request,
                    int status, int64_t code, std::string_view msg);

// A fixture for a table of ApiCase: TEST_P(SomeApiTest, Answers) { RunCase(stack_, GetParam()); }
class ApiCaseTest : public ::testing::TestWithParam<ApiCase> {
 protected:
  ApiTestStack stack_;
};

}  // namespace spacestore::testing
