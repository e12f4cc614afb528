#include "domain/name_rules.h"

#include <gtest/gtest.h>

#include <string>

namespace spacestore::domain {
namespace {

constexpr size_t kMax = 255;

// The message of the refusal of `raw`; fails the test if `raw` is accepted.
std::string Refusal(const std::string& raw) {
  auto r = NormalizeName(raw, "name", kMax);
  if (r) {
    ADD_FAILURE() << "accepted: " << raw;
    return {};
  }
  EXPECT_EQ(r.error().code, Errc::kInvalidArgument) << raw;
  EXPECT_EQ(r.error().subject, "name") << raw;
  return r.error().message;
}

std::string Accepted(const std::string& raw) {
  auto r = NormalizeName(raw, "name", kMax);
  if (!r) {
    ADD_FAILURE() << "refused: " << raw << ": " << r.error().message;
    return {};
  }
  return *r;
}

TEST(NameRulesTest, TrimsSurroundingSpaces) {
  auto name = NormalizeName("  report 2024  ", "name", 128);
  ASSERT_TRUE(name);
  EXPECT_EQ(*name, "report 2024");
}

TEST(NameRulesTest, TrimsEveryKindOfSurroundingSpace) {
  // No-break space and ideographic space are spaces too; inside a name they stay.
  EXPECT_EQ(Accepted("\u00A0report\u3000"), "report");
  EXPECT_EQ(Accepted("a\u3000b"), "a\u3000b");
  EXPECT_NE(Refusal("\u00A0 \u3000").find("must not be empty"), std::string::npos);
}

TEST(NameRulesTest, RejectsForbiddenCharacters) {
  for (const char* bad : {"a\tb", "a*b", "a\"b", "a<b", "a>b", "a|b", "a\nb", "a:b", "a?b"}) {
    auto r = NormalizeName(bad, "name", 128);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, Errc::kInvalidArgument);
    EXPECT_EQ(r.error().subject, "name");
  }
}

TEST(NameRulesTest, RejectsPathSeparators) {
  for (const char* bad :
       {"a/b", "a\\b", "/", "\\", "../../etc/passwd", "..\\..\\boot.ini", "dir/"}) {
    EXPECT_NE(Refusal(bad).find("'/' or '\\'"), std::string::npos) << bad;
  }
}

TEST(NameRulesTest, RejectsDotNames) {
  EXPECT_NE(Refusal(".").find("'.' or '..'"), std::string::npos);
  EXPECT_NE(Refusal("..").find("'.' or '..'"), std::string::npos);
  EXPECT_NE(Refusal(" .. ").find("'.' or '..'"), std::string::npos);
  EXPECT_NE(Refusal("...").find("end with '.'"), std::string::npos);
  EXPECT_EQ(Accepted(".gitignore"), ".gitignore");
  EXPECT_EQ(Accepted("..a"), "..a");
}

TEST(NameRulesTest, RejectsTrailingDotEmptyAndTooLong) {
  EXPECT_FALSE(NormalizeName("file.", "name", 128));
  EXPECT_FALSE(NormalizeName("   ", "name", 128));
  EXPECT_FALSE(NormalizeName("", "name", 128));
  EXPECT_FALSE(NormalizeName(std::string(129, 'a'), "name", 128));
  EXPECT_TRUE(NormalizeName(std::string(128, 'a'), "name", 128));
}

TEST(NameRulesTest, CountsCodePointsNotBytes) {
  const std::string chinese = "测试空间";  // 4 code points, 12 bytes.
  EXPECT_EQ(Utf8Length(chinese), 4u);
  EXPECT_TRUE(NormalizeName(chinese, "name", 4));
  EXPECT_FALSE(NormalizeName("\xff\xfe", "name", 10));
}

TEST(NameRulesTest, RejectsInvalidUtf8) {
  // Overlong '/', a surrogate (U+D800), past U+10FFFF, a truncated sequence.
  for (const char* bad : {"a\xc0\xaf", "a\xed\xa0\x80", "a\xf4\x90\x80\x80", "a\xe6\xb5"}) {
    EXPECT_NE(Refusal(bad).find("UTF-8"), std::string::npos) << bad;
    EXPECT_EQ(Utf8Length(bad), std::string_view::npos) << bad;
  }
}

TEST(NameRulesTest, RejectsControlCharactersIncludingC1AndNul) {
  EXPECT_NE(Refusal(std::string("a\0b", 3)).find("control character (U+0000)"), std::string::npos);
  EXPECT_NE(Refusal("a\x7f").find("U+007F"), std::string::npos);
  EXPECT_NE(Refusal("a\u0085b").find("control character (U+0085)"), std::string::npos);
}

TEST(NameRulesTest, RejectsBidiControls) {
  // "invoice\u202Etxt.exe" shows as "invoiceexe.txt".
  for (const char* bad :
       {"invoice\u202Etxt.exe", "a\u202Ab", "a\u202Bb", "a\u202Cb", "a\u202Db", "a\u2066b",
        "a\u2067b", "a\u2068b", "a\u2069b", "a\u200Eb", "a\u200Fb", "a\u061Cb"}) {
    EXPECT_NE(Refusal(bad).find("invisible format character"), std::string::npos) << bad;
  }
}

TEST(NameRulesTest, RejectsZeroWidthAndOtherInvisibleCharacters) {
  for (const char* bad : {"a\u200Bb", "\uFEFFname", "a\u2060b", "a\u00ADb", "a\u180Eb", "a\u2062b",
                          "a\u200D", "\u200Da", "a\u200Db", "a\u200Cb"}) {
    EXPECT_NE(Refusal(bad).find("invisible format character"), std::string::npos) << bad;
  }
  // Default-ignorable letters and marks: Hangul fillers, combining grapheme joiner.
  for (const char* bad : {"\u3164", "a\u3164", "a\u115Fb", "a\uFFA0", "a\u034Fb"}) {
    EXPECT_NE(Refusal(bad).find("invisible character"), std::string::npos) << bad;
  }
  // A variation selector with nothing visible before it.
  EXPECT_NE(Refusal("\uFE0Fa").find("combining mark"), std::string::npos);
  EXPECT_NE(Refusal("a \uFE0F").find("invisible"), std::string::npos);
}

TEST(NameRulesTest, KeepsJoinersWhereTheyDoVisibleWork) {
  // Emoji ZWJ sequences: family, rainbow flag (with VS16), a skin tone before the joiner.
  for (const char* ok :
       {"\U0001F468\u200D\U0001F469\u200D\U0001F467 photos", "\U0001F3F3\uFE0F\u200D\U0001F308",
        "\U0001F469\U0001F3FD\u200D\U0001F4BB"}) {
    EXPECT_EQ(Accepted(ok), ok);
  }
  // Persian "mi-khaham": ZWNJ between two Arabic-script letters.
  EXPECT_EQ(Accepted("\u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645"),
            "\u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645");
  // Devanagari: ZWJ and ZWNJ after a virama (U+094D) select a half form.
  EXPECT_EQ(Accepted("\u0915\u094D\u200D\u0937"), "\u0915\u094D\u200D\u0937");
  EXPECT_EQ(Accepted("\u0915\u094D\u200C\u0937"), "\u0915\u094D\u200C\u0937");
  // Between Latin letters they change nothing visible.
  EXPECT_FALSE(NormalizeName("ab\u200Dcd", "name", kMax));
  EXPECT_FALSE(NormalizeName("ab\u200Ccd", "name", kMax));
}

TEST(NameRulesTest, TagCharactersOnlyInsideAnEmojiFlag) {
  const std::string england =
      "\U0001F3F4\U000E0067\U000E0062\U000E0065\U000E006E\U000E0067"
      "\U000E007F";
  EXPECT_EQ(Accepted(england + " trip"), england + " trip");
  // Tags hide text: outside a flag, or a flag sequence without its cancel tag.
  EXPECT_FALSE(NormalizeName("a\U000E0067\U000E007F", "name", kMax));
  EXPECT_FALSE(NormalizeName("\U0001F3F4\U000E0067\U000E0062", "name", kMax));
  EXPECT_FALSE(NormalizeName("\U0001F3F4\U000E007F", "name", kMax));
}

TEST(NameRulesTest, RejectsUnassignedNoncharactersAndSeparators) {
  EXPECT_NE(Refusal("a\u0378").find("unassigned"), std::string::npos);  // Unassigned.
  EXPECT_NE(Refusal("a\uFDD0").find("noncharacter"), std::string::npos);
  EXPECT_NE(Refusal("a\uFFFE").find("noncharacter"), std::string::npos);
  EXPECT_NE(Refusal("a\U0001FFFF").find("noncharacter"), std::string::npos);
  EXPECT_NE(Refusal("a\u2028b").find("line or paragraph"), std::string::npos);
  EXPECT_NE(Refusal("a\u2029b").find("line or paragraph"), std::string::npos);
}

TEST(NameRulesTest, AcceptsPrivateUseAndLookalikesOfSeparators) {
  // Private-use characters are visible (icons, and macOS's mapping of Windows-forbidden
  // characters); fraction slash and fullwidth solidus are not separators on any disk.
  EXPECT_EQ(Accepted("a\uF022b"), "a\uF022b");
  EXPECT_EQ(Accepted("1\u20442"), "1\u20442");
  EXPECT_EQ(Accepted("a\uFF0Fb"), "a\uFF0Fb");
}

TEST(NameRulesTest, RejectsALeadingCombiningMark) {
  EXPECT_NE(Refusal("\u0301abc").find("combining mark"), std::string::npos);
  EXPECT_NE(Refusal("  \u0338etc").find("combining mark"), std::string::npos);
  EXPECT_EQ(Accepted("a\u0338"), "a\u0338");
}

TEST(NameRulesTest, NormalizesToNfc) {
  // "é" decomposed (e + U+0301) and precomposed (U+00E9) are one name, stored precomposed.
  EXPECT_EQ(Accepted("caf\u0065\u0301"), "caf\u00E9");
  EXPECT_EQ(Accepted("caf\u00E9"), "caf\u00E9");
  // Hangul jamo compose into a syllable; marks are put in canonical order.
  EXPECT_EQ(Accepted("\u1100\u1161"), "\uAC00");
  EXPECT_EQ(Accepted("a\u0323\u0307"), Accepted("a\u0307\u0323"));
  // The length limit counts the normalized form.
  EXPECT_TRUE(NormalizeName("e\u0301", "name", 1));
}

TEST(NameRulesTest, RejectsWindowsDeviceNames) {
  for (const char* bad : {"CON", "con", "Prn", "AUX", "nul.txt", "NUL.tar.gz", "COM1", "com9.log",
                          "LPT0", "lpt5", "CON .txt", "COM\u00B9"}) {
    EXPECT_NE(Refusal(bad).find("reserved device name"), std::string::npos) << bad;
  }
  for (const char* ok :
       {"CONSOLE", "console.txt", "COM10", "LPT", "my nul", "x.con", "auxiliary"}) {
    EXPECT_EQ(Accepted(ok), ok);
  }
}

TEST(NameRulesTest, NormalizedNamesAreAFixedPoint) {
  for (const char* raw : {" Re\u0301sume\u0301 .pdf", "\U0001F3F3\uFE0F\u200D\U0001F308",
                          "\u00A0x\u3000", "\u1100\u1161\u11A8"}) {
    const std::string once = Accepted(raw);
    EXPECT_EQ(Accepted(once), once) << raw;
    EXPECT_EQ(ToNfc(once), once) << raw;
  }
}

TEST(NameRulesTest, ToNfcRefusesInvalidUtf8) {
  EXPECT_FALSE(ToNfc("\xff"));
  EXPECT_EQ(ToNfc(""), "");
  EXPECT_EQ(ToNfc("e\u0301"), "\u00E9");
}

}  // namespace
}  // namespace spacestore::domain
