# Every dependency is a Debian package (scripts/install-deps.sh); nothing is fetched here.
find_package(Boost 1.81.0 EXACT CONFIG REQUIRED COMPONENTS json url)
find_package(SQLite3 REQUIRED)
find_package(OpenSSL REQUIRED)
find_package(fmt REQUIRED)
find_package(spdlog REQUIRED)
find_package(CLI11 QUIET)
find_package(Threads REQUIRED)
# utf8proc (libutf8proc-dev): NFC normalization and Unicode categories for the name rules in
# domain; its pkg-config file is the only description Debian ships.
find_package(PkgConfig REQUIRED)
pkg_check_modules(UTF8PROC REQUIRED IMPORTED_TARGET libutf8proc)
# libvips (libvips-dev, 8.14): thumbnails. Linked only by storage/thumbnail's vips adapter, so
# glib and vips headers stay out of every other target.
pkg_check_modules(VIPS REQUIRED IMPORTED_TARGET vips)
if(SPACESTORE_BUILD_TESTS)
  find_package(GTest REQUIRED)
endif()
