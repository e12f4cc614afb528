// The fsck command line: options in, StoreChecker run, report out (a summary for a person on
// stderr, the same facts as one JSON object on stdout for scripts such as the crash loop).
#include "tools/fsck/fsck_command.h"

#include <iostream>

#include <CLI/CLI.hpp>
#include <boost/json.hpp>

namespace spacestore::tools {

namespace json = boost::json;

namespace {

json::object FindingJson(const Finding& f) {
  json::object o{{"kind", f.kind}};
  if (!f.space_id.empty()) o["spaceId"] = f.space_id;
  if (!f.dentry_id.empty()) o["dentryId"] = f.dentry_id;
  if (f.version != 0) o["version"] = f.version;
  if (!f.upload_key.empty()) o["uploadKey"] = f.upload_key;
  if (!f.blob_id.empty()) o["blobId"] = f.blob_id;
  o["detail"] = f.detail;
  o["repaired"] = f.repaired;
  return o;
}

json::object ReportJson(const CheckReport& r, const std::string& data_dir,
                        const CheckOptions& options) {
  json::array findings;
  for (const auto& f : r.findings) findings.push_back(FindingJson(f));
  const int64_t unrepaired = r.Unrepaired();
  return {{"dataDir", data_dir},
          {"repair", options.repair},
          {"verifyContent", options.verify_content},
          {"graceSeconds", options.grace_seconds},
          {"checked",
           {{"spaces", r.spaces},
            {"versions", r.versions},
            {"uploads", r.uploads},
            {"parts", r.parts},
            {"blobs", r.blobs},
            {"storedBlobs", r.stored_blobs},
            {"stagingFiles", r.staging_files}}},
          {"problems", static_cast<int64_t>(r.findings.size())},
          {"repaired", static_cast<int64_t>(r.findings.size()) - unrepaired},
          {"unrepaired", unrepaired},
          {"clean", unrepaired == 0},
          {"findings", std::move(findings)}};
}

void PrintSummary(const CheckReport& r, bool repair) {
  std::cerr << "spacestore fsck: checked " << r.spaces << " spaces, " << r.versions << " versions, "
            << r.uploads << " upload sessions, " << r.parts << " parts, " << r.blobs
            << " referenced blobs, " << r.stored_blobs << " stored blobs past the grace"
            << "\n";
  for (const auto& f : r.findings) {
    std::cerr << "  " << f.kind;
    if (!f.space_id.empty()) std::cerr << " space=" << f.space_id;
    if (!f.dentry_id.empty()) std::cerr << " dentry=" << f.dentry_id << " version=" << f.version;
    if (!f.upload_key.empty()) std::cerr << " upload=" << f.upload_key;
    if (!f.blob_id.empty()) std::cerr << " blob=" << f.blob_id;
    std::cerr << ": " << f.detail;
    if (repair) std::cerr << (f.repaired ? " [repaired]" : " [not repaired]");
    std::cerr << "\n";
  }
  const int64_t unrepaired = r.Unrepaired();
  if (r.findings.empty()) {
    std::cerr << "spacestore fsck: clean\n";
  } else if (repair) {
    std::cerr << "spacestore fsck: " << r.findings.size() << " problems, "
              << r.findings.size() - unrepaired << " repaired, " << unrepaired << " left\n";
  } else {
    std::cerr << "spacestore fsck: " << r.findings.size()
              << " problems (run with --repair to fix what is safe to fix)\n";
  }
}

}  // namespace

FsckCommand::FsckCommand(CLI::App& cli) {
  command_ = cli.add_subcommand(
      "fsck",
      "Check a store's metadata against its blobs (a data directory, or --metadata and --blobs)");
  command_->add_option("--data-dir", data_dir_, "Data directory")
      ->envname("SPACESTORE_DATA_DIR")
      ->capture_default_str();
  command_->add_flag("--repair", options_.repair,
                     "Fix what is safe: recount counters, remove orphans past the grace, expire "
                     "stale uploads, remove staging leftovers");
  command_->add_flag("--json", json_, "Print the report as JSON on stdout");
  command_->add_flag("--verify-content", options_.verify_content,
                     "Read every referenced blob and check its SHA-256");
  command_
      ->add_option("--grace", options_.grace_seconds,
                   "Seconds a blob, staging file or expired upload may be in flight")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
}

bool FsckCommand::parsed() const { return command_->parsed(); }

int FsckCommand::CannotOpen(const std::string& data_dir, const std::string& why) {
  std::cerr << "spacestore fsck: cannot open " << data_dir << ": " << why << "\n";
  return kCannotRun;
}

int FsckCommand::Run(domain::MetadataStore& store, domain::BlobStore& blobs, const Clock& clock) {
  StoreChecker checker(store, blobs, clock, options_);
  auto report = checker.Run();
  if (!report) {
    std::cerr << "spacestore fsck: " << ErrcName(report.error().code) << ": "
              << report.error().message << "\n";
    return kCannotRun;
  }
  PrintSummary(*report, options_.repair);
  if (json_) std::cout << json::serialize(ReportJson(*report, data_dir_, options_)) << std::endl;
  return report->Unrepaired() == 0 ? kClean : kProblems;
}

}  // namespace spacestore::tools
