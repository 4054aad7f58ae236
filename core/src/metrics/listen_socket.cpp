// SPDX-License-Identifier: Apache-2.0
// ListenSocket on POSIX sockets: Poco's ServerSocket(address) sets SO_REUSEPORT along with
// SO_REUSEADDR (Poco 1.11 SocketImpl::bind(address, reuseAddress) passes reuseAddress for both),
// which let two daemons share one metrics port and answer scrapes in turn.
#include "metrics/listen_socket.hpp"

#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <Poco/Exception.h>
#include <Poco/Net/SocketAddress.h>

#include "mobisync/text.hpp"

namespace mobisync::metrics {

namespace {

constexpr int kBacklog = 64;

std::string reasonOf(int err) {
  switch (err) {
    case EADDRINUSE:
      return "address in use (another process listens there: a second mobisync run, or another "
             "program); choose a free [metrics] listen, or \"\" to turn metrics off";
    case EACCES:
      return "permission denied (ports below 1024 need privileges)";
    case EADDRNOTAVAIL:
      return "address not available (no interface of this host has it)";
    default:
      return std::strerror(err);
  }
}

}  // namespace

ListenSocket::ListenSocket(const std::string& listen) {
  const std::string where = "metrics listener " + text::excerpt(listen);
  Poco::Net::SocketAddress address;
  try {
    address = Poco::Net::SocketAddress(listen);
  } catch (const Poco::Exception& e) {
    throw ListenError(where + ": cannot resolve: " + text::excerpt(e.displayText()));
  }
  fd_ = ::socket(address.af(), SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd_ < 0) throw ListenError(where + ": cannot create a socket: " + std::strerror(errno));
  auto fail = [&](const char* step) {
    const int err = errno;
    ::close(fd_);
    fd_ = -1;
    throw ListenError(where + ": " + step + reasonOf(err));
  };
  const int on = 1;
  if (::setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) != 0) fail("SO_REUSEADDR: ");
  if (::bind(fd_, address.addr(), address.length()) != 0) fail("");
  if (::listen(fd_, kBacklog) != 0) fail("");
  sockaddr_storage bound{};
  socklen_t length = sizeof bound;
  if (::getsockname(fd_, reinterpret_cast<sockaddr*>(&bound), &length) != 0) fail("getsockname: ");
  port_ = Poco::Net::SocketAddress(reinterpret_cast<const sockaddr*>(&bound), length).port();
}

ListenSocket::~ListenSocket() {
  if (fd_ >= 0) ::close(fd_);
}

}  // namespace mobisync::metrics
