// The one translation unit that compiles Asio and Beast (house style rule 24): every other file
// includes their headers only, with BOOST_ASIO_SEPARATE_COMPILATION and
// BOOST_BEAST_SEPARATE_COMPILATION set for the whole `server` library and its users.
#include <boost/asio/impl/src.hpp>
#include <boost/asio/ssl/impl/src.hpp>
#include <boost/beast/src.hpp>
