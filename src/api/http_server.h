#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "api/http_message.h"

namespace futureim::api {

struct HttpServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;  // 0: any free port (see HttpServer::port)
  int io_threads = 2;
  size_t max_header_bytes = 16 * 1024;
  size_t max_body_bytes = 1024 * 1024;
  // A client has this long to send a whole request; also the idle keep-alive
  // time. Slow senders (slowloris) are cut off when it runs out.
  int read_timeout_seconds = 10;
  int write_timeout_seconds = 30;
  // On Shutdown, requests in flight get this long to finish.
  int drain_seconds = 10;
  // TLS when both are set (PEM files); plain HTTP otherwise.
  std::filesystem::path tls_certificate;
  std::filesystem::path tls_private_key;
};

// HTTP/1.1 over Boost.Beast (asio): keep-alive, size limits, read timeouts,
// optional TLS, graceful shutdown. It parses and writes; what a request means
// is the RequestHandler's business. The I/O threads never run blocking work:
// the handler answers asynchronously when it has any.
class HttpServer {
 public:
  HttpServer(HttpServerOptions options, RequestHandler& handler);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds and starts the I/O threads. Throws core::Error when the address
  // cannot be bound or the TLS files cannot be loaded.
  void Start();
  uint16_t port() const;
  bool tls() const;
  // Stops accepting, closes idle connections, lets requests in flight finish
  // (up to drain_seconds), then closes everything and joins the threads.
  void Shutdown();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace futureim::api
