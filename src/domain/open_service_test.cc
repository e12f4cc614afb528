#include "domain/open_service.h"

#include <gtest/gtest.h>

#include "base/crypto.h"
#include "domain/permission_service.h"
#include "domain/upload_test_fixture.h"

namespace spacestore::domain {
namespace {

constexpr int64_t kMinute = 60 * 1000;

class OpenServiceTest : public UploadServiceTest {
 protected:
  void SetUp() override {
    UploadServiceTest::SetUp();
    ASSERT_TRUE(store_.CreateUser(User{"u2", "corp1", "Reader Two", 0}));
    ASSERT_TRUE(store_.CreateUser(User{"u3", "corp1", "", 0}));
    auto file = Commit(Upload("hello", 5), "a.txt");
    ASSERT_TRUE(file) << file.error().message;
    file_ = file->id;
  }

  void Grant(const std::string& union_id, const std::string& role) {
    GrantRequest r;
    r.role_id = role;
    r.members.push_back(MemberSpec{"USER", union_id, "corp1"});
    auto ok = permissions_.AddPermission(actor_, space_, file_, r);
    ASSERT_TRUE(ok) << ok.error().message;
  }

  std::string Link(const OpenRequest& request = {}) {
    auto answer = open_.Open(actor_, space_, file_, request);
    EXPECT_TRUE(answer) << answer.error().message;
    EXPECT_FALSE(answer->registered_url);
    return answer->token;
  }

  PermissionService permissions_{store_, clock_, spaces_};
  OpenService open_{store_, clock_, spaces_, uploads_, transfers_, OpenOptions{}};
  const Actor reader_{"corp1", "app1", "u2"};
  std::string file_;
};

TEST_F(OpenServiceTest, SingleUseLinkOpensOnceAndItsSessionReadsTheVersion) {
  const std::string token = Link();
  EXPECT_EQ(token.size(), 64u);
  // Only the hash is stored.
  auto stored = store_.Read([&](MetadataTransaction& tx) { return tx.open().GetToken(token); });
  EXPECT_FALSE(stored);
  auto page = open_.OpenPreview(token, std::nullopt);
  ASSERT_TRUE(page) << page.error().message;
  EXPECT_EQ(page->file.name, "a.txt");
  EXPECT_EQ(page->file.version, 1);
  EXPECT_EQ(page->file.size, 5);
  auto grant = open_.PreviewContent(token, page->session_token);
  ASSERT_TRUE(grant);
  EXPECT_EQ(grant->kind, TransferGrant::Kind::kDownload);
  EXPECT_EQ(grant->dentry_id, file_);
  EXPECT_EQ(grant->version, 1);
  EXPECT_FALSE(open_.PreviewContent(token, "wrong"));
  EXPECT_FALSE(open_.PreviewContent(Link(), page->session_token));  // Another link's.

  auto again = open_.OpenPreview(token, std::nullopt);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, Errc::kPreconditionFailed);
  EXPECT_EQ(again.error().message, "this link has already been used");
  auto unknown = open_.OpenPreview(std::string(64, 'a'), std::nullopt);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, Errc::kNotFound);
}

TEST_F(OpenServiceTest, SingleUseLinkExpiresExactlyFiveMinutesAfterIssue) {
  const std::string on_time = Link();
  const std::string late = Link();
  clock_.AdvanceMillis(5 * kMinute - 1);
  EXPECT_TRUE(open_.OpenPreview(on_time, std::nullopt));
  clock_.AdvanceMillis(1);
  auto r = open_.OpenPreview(late, std::nullopt);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kPreconditionFailed);
  EXPECT_EQ(r.error().message, "this link has expired");
}

TEST_F(OpenServiceTest, PageSessionOutlivesTheLinkThenExpires) {
  const std::string token = Link();
  auto page = open_.OpenPreview(token, std::nullopt);
  ASSERT_TRUE(page);
  clock_.AdvanceMillis(30 * kMinute - 1);
  EXPECT_TRUE(open_.PreviewContent(token, page->session_token));
  clock_.AdvanceMillis(1);
  EXPECT_FALSE(open_.PreviewContent(token, page->session_token));
}

TEST_F(OpenServiceTest, LinkShowsTheVersionAskedForOrTheLatestWhenIssued) {
  auto v2 = uploads_.Commit(actor_, space_, [&] {
    CommitRequest r;
    r.upload_key = Upload("hello v2", 8);
    r.name = "a.txt";
    r.parent_id = "0";
    r.overwrite_dentry_id = file_;
    return r;
  }());
  ASSERT_TRUE(v2) << v2.error().message;
  OpenRequest first;
  first.version = 1;
  auto page = open_.OpenPreview(Link(first), std::nullopt);
  ASSERT_TRUE(page);
  EXPECT_EQ(page->file.version, 1);
  EXPECT_EQ(page->file.size, 5);
  page = open_.OpenPreview(Link(), std::nullopt);
  ASSERT_TRUE(page);
  EXPECT_EQ(page->file.version, 2);
  for (int64_t bad : {0, 3, -1}) {
    OpenRequest r;
    r.version = bad;
    auto answer = open_.Open(actor_, space_, file_, r);
    ASSERT_FALSE(answer);
    EXPECT_EQ(answer.error().code, Errc::kNotFound);
    EXPECT_EQ(answer.error().subject, "version");
  }
}

TEST_F(OpenServiceTest, WaterMarkNamesTheViewer) {
  OpenRequest r;
  r.water_mark = true;
  auto answer = open_.Open(reader_, space_, file_, r);
  ASSERT_FALSE(answer);  // u2 has no role yet.
  EXPECT_EQ(answer.error().code, Errc::kPermissionDenied);
  Grant("u2", "READER");
  answer = open_.Open(reader_, space_, file_, r);
  ASSERT_TRUE(answer) << answer.error().message;
  EXPECT_TRUE(answer->water_mark);
  auto page = open_.OpenPreview(answer->token, std::nullopt);
  ASSERT_TRUE(page);
  EXPECT_TRUE(page->water_mark);
  EXPECT_EQ(page->viewer_name, "Reader Two");
}

TEST_F(OpenServiceTest, CheckLoginLinkNeedsAViewerWhoMayReadAndIsReusable) {
  OpenRequest r;
  r.check_login = true;
  r.water_mark = true;
  const std::string token = Link(r);
  auto anonymous = open_.OpenPreview(token, std::nullopt);
  ASSERT_FALSE(anonymous);
  EXPECT_EQ(anonymous.error().code, Errc::kUnauthenticated);
  auto stranger = open_.OpenPreview(token, Actor{"corp1", "app1", "u3"});
  ASSERT_FALSE(stranger);
  EXPECT_EQ(stranger.error().code, Errc::kPermissionDenied);
  auto foreign = open_.OpenPreview(token, Actor{"corp2", "app9", "u2"});
  ASSERT_FALSE(foreign);
  EXPECT_EQ(foreign.error().code, Errc::kPermissionDenied);
  Grant("u3", "READER");
  for (int i = 0; i < 3; ++i) {
    auto page = open_.OpenPreview(token, Actor{"corp1", "app1", "u3"});
    ASSERT_TRUE(page) << page.error().message;
    EXPECT_EQ(page->viewer_name, "u3");  // No name: the unionId.
  }
  clock_.AdvanceMillis(60 * kMinute);
  auto expired = open_.OpenPreview(token, Actor{"corp1", "app1", "u3"});
  ASSERT_FALSE(expired);
  EXPECT_EQ(expired.error().code, Errc::kPreconditionFailed);
}

TEST_F(OpenServiceTest, RegisteredUrlsAreAnsweredAndEditNeedsOne) {
  OpenRequest edit;
  edit.type = OpenType::kEdit;
  auto none = open_.Open(actor_, space_, file_, edit);
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, Errc::kNotFound);
  EXPECT_EQ(none.error().subject, "openInfo");
  ASSERT_TRUE(open_.Register(actor_, space_, file_, "MS_OFFICE",
                             {{OpenType::kEdit, "https://office.example/edit?id=1"}}));
  auto url = open_.Open(actor_, space_, file_, edit);
  ASSERT_TRUE(url);
  EXPECT_EQ(url->registered_url, "https://office.example/edit?id=1");
  EXPECT_FALSE(url->water_mark);
  // PREVIEW still gives spacestore's own link until one is registered.
  EXPECT_FALSE(open_.Open(actor_, space_, file_, {})->registered_url);
  ASSERT_TRUE(open_.Register(actor_, space_, file_, "MS_OFFICE",
                             {{OpenType::kPreview, "http://p.example/x"}}));
  EXPECT_EQ(open_.Open(actor_, space_, file_, {})->registered_url, "http://p.example/x");
}

TEST_F(OpenServiceTest, RegisterRefusesBadInputAndReaders) {
  auto code = [&](std::string_view provider, std::vector<OpenInfoUrl> urls) {
    auto r = open_.Register(actor_, space_, file_, provider, urls);
    return r ? std::string("ok") : r.error().subject;
  };
  EXPECT_EQ(code("WPS", {{OpenType::kEdit, "https://x/"}}), "provider");
  EXPECT_EQ(code("MS_OFFICE", {}), "openInfos");
  for (const char* bad : {"", "ftp://x/", "https://", "https:///path", "/relative", "https://a b",
                          "javascript:alert(1)"}) {
    EXPECT_EQ(code("MS_OFFICE", {{OpenType::kEdit, bad}}), "url") << bad;
  }
  EXPECT_EQ(code("MS_OFFICE", {{OpenType::kEdit, "HTTPS://X.example:8443/a?b#c"}}), "ok");
  Grant("u2", "READER");
  auto r = open_.Register(reader_, space_, file_, "MS_OFFICE", {{OpenType::kEdit, "https://x/"}});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kPermissionDenied);
}

TEST_F(OpenServiceTest, OfficePairRotatesAndTheOldPairStops) {
  auto pair = open_.IssueOffice(actor_, space_, file_);
  ASSERT_TRUE(pair) << pair.error().message;
  EXPECT_EQ(pair->access_expire_time - clock_.NowMillis(), 30 * kMinute);
  EXPECT_EQ(pair->refresh_expire_time - clock_.NowMillis(), 24 * 60 * kMinute);
  auto session = open_.Office(pair->access_token);
  ASSERT_TRUE(session);
  EXPECT_TRUE(session->can_edit);
  EXPECT_EQ(session->file.name, "a.txt");

  auto fresh = open_.RefreshOffice(actor_, space_, file_, pair->access_token, pair->refresh_token);
  ASSERT_TRUE(fresh) << fresh.error().message;
  EXPECT_NE(fresh->access_token, pair->access_token);
  auto old = open_.Office(pair->access_token);
  ASSERT_FALSE(old);
  EXPECT_EQ(old.error().code, Errc::kUnauthenticated);
  EXPECT_TRUE(open_.Office(fresh->access_token));
  auto reused = open_.RefreshOffice(actor_, space_, file_, pair->access_token, pair->refresh_token);
  ASSERT_FALSE(reused);
  EXPECT_EQ(reused.error().code, Errc::kInvalidArgument);
  EXPECT_EQ(reused.error().message, "webOfficeRefreshToken has already been used");
  // The refresh token of one pair with the access token of another.
  auto other = open_.IssueOffice(actor_, space_, file_);
  ASSERT_TRUE(other);
  auto mixed =
      open_.RefreshOffice(actor_, space_, file_, other->access_token, fresh->refresh_token);
  ASSERT_FALSE(mixed);
  EXPECT_EQ(mixed.error().subject, "webOfficeRefreshToken");
  EXPECT_FALSE(open_.RefreshOffice(actor_, space_, file_, fresh->access_token, "nonsense"));
}

TEST_F(OpenServiceTest, OfficeTokensExpire) {
  auto pair = open_.IssueOffice(actor_, space_, file_);
  ASSERT_TRUE(pair);
  clock_.AdvanceMillis(30 * kMinute);
  auto expired = open_.Office(pair->access_token);
  ASSERT_FALSE(expired);
  EXPECT_EQ(expired.error().message, "webOfficeAccessToken has expired");
  // The refresh token outlives it, until 24 h.
  auto fresh = open_.RefreshOffice(actor_, space_, file_, pair->access_token, pair->refresh_token);
  ASSERT_TRUE(fresh);
  clock_.AdvanceMillis(24 * 60 * kMinute);
  auto late = open_.RefreshOffice(actor_, space_, file_, fresh->access_token, fresh->refresh_token);
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().message, "webOfficeRefreshToken has expired");
}

TEST_F(OpenServiceTest, RefreshOfAnotherDentrysPairIsRefused) {
  auto other = Commit(Upload("x", 1), "b.txt");
  ASSERT_TRUE(other);
  auto pair = open_.IssueOffice(actor_, space_, file_);
  ASSERT_TRUE(pair);
  auto r = open_.RefreshOffice(actor_, space_, other->id, pair->access_token, pair->refresh_token);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "webOfficeRefreshToken was issued for another dentry");
  // Still usable on its own dentry: the refusal used nothing.
  EXPECT_TRUE(open_.RefreshOffice(actor_, space_, file_, pair->access_token, pair->refresh_token));
}

TEST_F(OpenServiceTest, SaveCommitsANewVersionAndNeedsEditorAtSaveTime) {
  Grant("u2", "EDITOR");
  auto pair = open_.IssueOffice(reader_, space_, file_);
  ASSERT_TRUE(pair);
  auto saved = open_.SaveOffice(pair->access_token, "edited");
  ASSERT_TRUE(saved) << saved.error().message;
  EXPECT_EQ(saved->version, 2);
  EXPECT_EQ(saved->size, 6);
  EXPECT_EQ(saved->modifier_id, "u2");
  EXPECT_EQ(GetSpace().used_bytes, 11);  // Both versions are charged.
  // Lowered to READER: the same token may still read, not save.
  GrantRequest lower;
  lower.role_id = "READER";
  lower.members.push_back(MemberSpec{"USER", "u2", "corp1"});
  ASSERT_TRUE(permissions_.UpdatePermission(actor_, space_, file_, lower));
  auto session = open_.Office(pair->access_token);
  ASSERT_TRUE(session);
  EXPECT_FALSE(session->can_edit);
  auto refused = open_.SaveOffice(pair->access_token, "again");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::kPermissionDenied);
  // Quota: the 1,000-byte space cannot take 1,000 more.
  auto owner = open_.IssueOffice(actor_, space_, file_);
  ASSERT_TRUE(owner);
  auto full = open_.SaveOffice(owner->access_token, std::string(1000, 'x'));
  ASSERT_FALSE(full);
  EXPECT_EQ(full.error().code, Errc::kQuotaExceeded);
}

TEST_F(OpenServiceTest, CollectorRemovesExpiredTokens) {
  const std::string token = Link();
  auto pair = open_.IssueOffice(actor_, space_, file_);
  ASSERT_TRUE(pair);
  clock_.AdvanceMillis(5 * kMinute);
  auto stats = collector_.Collect();
  ASSERT_TRUE(stats);
  EXPECT_EQ(stats->expired_open_tokens, 1);  // The link; the pair lives on.
  auto gone = open_.OpenPreview(token, std::nullopt);
  ASSERT_FALSE(gone);
  EXPECT_EQ(gone.error().code, Errc::kNotFound);
  clock_.AdvanceMillis(24 * 60 * kMinute);
  stats = collector_.Collect();
  ASSERT_TRUE(stats);
  EXPECT_EQ(stats->expired_open_tokens, 2);
}

}  // namespace
}  // namespace spacestore::domain
