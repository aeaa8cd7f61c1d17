#include "api/http_server.h"

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include "core/error.h"
#include "core/log.h"

namespace futureim::api {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;

// What a session needs from its server, without knowing its type.
struct ServerState {
  HttpServerOptions options;
  RequestHandler* handler = nullptr;
  std::atomic<bool> draining{false};
};

class SessionBase {
 public:
  virtual ~SessionBase() = default;
  // Called on shutdown: closes the connection now if it waits for a request,
  // or after the response if one is being worked on.
  virtual void Drain() = 0;
};

// Tracks live sessions so Shutdown can drain them and wait for them to end.
class SessionRegistry {
 public:
  uint64_t Add(std::weak_ptr<SessionBase> session) {
    std::lock_guard lock(mutex_);
    sessions_.emplace(++next_id_, std::move(session));
    return next_id_;
  }
  void Remove(uint64_t id) {
    std::lock_guard lock(mutex_);
    sessions_.erase(id);
  }
  size_t Size() {
    std::lock_guard lock(mutex_);
    return sessions_.size();
  }
  void DrainAll() {
    std::vector<std::shared_ptr<SessionBase>> live;
    {
      std::lock_guard lock(mutex_);
      for (auto& [id, weak] : sessions_) {
        if (auto session = weak.lock()) live.push_back(std::move(session));
      }
    }
    for (auto& session : live) session->Drain();
  }

 private:
  std::mutex mutex_;
  uint64_t next_id_ = 0;
  std::map<uint64_t, std::weak_ptr<SessionBase>> sessions_;
};

template <class Stream>
class Session : public SessionBase, public std::enable_shared_from_this<Session<Stream>> {
 public:
  Session(Stream stream, ServerState& state, SessionRegistry& registry, bool tls)
      : stream_(std::move(stream)), state_(state), registry_(registry), tls_(tls) {}

  ~Session() override { registry_.Remove(id_); }

  void Start() {
    id_ = registry_.Add(this->weak_from_this());
    beast::error_code ec;
    const auto remote = beast::get_lowest_layer(stream_).socket().remote_endpoint(ec);
    client_ip_ = ec ? "" : remote.address().to_string();
    net::dispatch(stream_.get_executor(), [self = this->shared_from_this()] { self->Begin(); });
  }

  void Drain() override {
    net::post(stream_.get_executor(), [self = this->shared_from_this()] {
      if (!self->in_flight_) self->Close();
    });
  }

 private:
  void Begin() {
    if constexpr (std::is_same_v<Stream, beast::ssl_stream<beast::tcp_stream>>) {
      beast::get_lowest_layer(stream_).expires_after(
          std::chrono::seconds(state_.options.read_timeout_seconds));
      stream_.async_handshake(ssl::stream_base::server,
                              [self = this->shared_from_this()](beast::error_code ec) {
                                if (ec) return self->Close();
                                self->Read();
                              });
    } else {
      Read();
    }
  }

  void Read() {
    if (state_.draining) return Close();
    parser_.emplace();
    parser_->header_limit(static_cast<uint32_t>(state_.options.max_header_bytes));
    parser_->body_limit(state_.options.max_body_bytes);
    beast::get_lowest_layer(stream_).expires_after(
        std::chrono::seconds(state_.options.read_timeout_seconds));
    http::async_read(
        stream_, buffer_, *parser_,
        [self = this->shared_from_this()](beast::error_code ec, size_t) { self->OnRead(ec); });
  }

  void OnRead(beast::error_code ec) {
    if (ec) {
      // The connection is unusable after a parse error: answer if we can
      // say something useful, then close.
      if (ec == http::error::body_limit) {
        return Refuse(413, "payload_too_large", "the request body is too large");
      }
      if (ec == http::error::header_limit) {
        return Refuse(431, "headers_too_large", "the request headers are too large");
      }
      if (ec.category() == beast::error_code(http::error::end_of_stream).category() &&
          ec != http::error::end_of_stream && ec != http::error::partial_message) {
        return Refuse(400, "bad_request", "the request is not valid HTTP/1.1");
      }
      return Close();  // end of stream, timeout (slow client), reset
    }
    auto& message = parser_->get();
    HttpRequest request;
    request.method = std::string(message.method_string());
    request.target = std::string(message.target());
    request.headers.reserve(8);
    for (const auto& field : message) {
      std::string name(field.name_string());
      for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      request.headers.emplace_back(std::move(name), std::string(field.value()));
    }
    request.body = std::move(message.body());
    request.client_ip = client_ip_;
    request.tls = tls_;
    keep_alive_ = message.keep_alive();
    version_ = message.version();
    in_flight_ = true;
    // Stop the read timer: the handler may take longer than a read may.
    beast::get_lowest_layer(stream_).expires_never();
    state_.handler->Handle(
        std::move(request), [self = this->shared_from_this()](HttpResponse response) {
          net::post(self->stream_.get_executor(), [self, response = std::move(response)]() mutable {
            self->Write(std::move(response));
          });
        });
  }

  void Refuse(unsigned status, std::string_view code, std::string_view message) {
    keep_alive_ = false;
    version_ = 11;
    in_flight_ = true;
    Write(state_.handler->Refuse(status, code, message, tls_));
  }

  void Write(HttpResponse response) {
    auto out = std::make_shared<http::response<http::string_body>>();
    out->version(version_ == 10 ? 10 : 11);
    out->result(static_cast<http::status>(response.status));
    for (auto& [name, value] : response.headers) out->set(name, value);
    out->body() = std::move(response.body);
    const bool keep = keep_alive_ && !state_.draining;
    out->keep_alive(keep);
    out->prepare_payload();
    beast::get_lowest_layer(stream_).expires_after(
        std::chrono::seconds(state_.options.write_timeout_seconds));
    http::async_write(stream_, *out,
                      [self = this->shared_from_this(), out, keep](beast::error_code ec, size_t) {
                        self->in_flight_ = false;
                        if (ec || !keep) return self->Close();
                        self->Read();
                      });
  }

  void Close() {
    if (closed_) return;
    closed_ = true;
    auto& socket = beast::get_lowest_layer(stream_).socket();
    beast::error_code ignored;
    // No TLS close_notify round trip: it would wait on a client that may be
    // gone; a plain TCP shutdown is enough for HTTP/1.1 (message framing).
    socket.shutdown(tcp::socket::shutdown_both, ignored);
    socket.close(ignored);
  }

  Stream stream_;
  ServerState& state_;
  SessionRegistry& registry_;
  bool tls_;
  uint64_t id_ = 0;
  std::string client_ip_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  bool keep_alive_ = true;
  unsigned version_ = 11;
  bool in_flight_ = false;
  bool closed_ = false;
};

}  // namespace

class HttpServer::Impl {
 public:
  Impl(HttpServerOptions options, RequestHandler& handler)
      : ssl_context_(ssl::context::tls_server), ioc_(options.io_threads), acceptor_(ioc_) {
    state_.options = std::move(options);
    state_.handler = &handler;
  }

  void Start() {
    const auto& options = state_.options;
    tls_ = !options.tls_certificate.empty() || !options.tls_private_key.empty();
    if (tls_) LoadTls();
    beast::error_code ec;
    const auto address = net::ip::make_address(options.host, ec);
    if (ec) throw core::Error("server.listen: not an IP address: " + options.host);
    const tcp::endpoint endpoint(address, options.port);
    acceptor_.open(endpoint.protocol(), ec);
    if (!ec) acceptor_.set_option(net::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_.bind(endpoint, ec);
    if (!ec) acceptor_.listen(net::socket_base::max_listen_connections, ec);
    if (ec) {
      throw core::Error("cannot listen on " + options.host + ":" + std::to_string(options.port) +
                        ": " + ec.message() + " (change server.listen)");
    }
    port_ = acceptor_.local_endpoint().port();
    work_.emplace(net::make_work_guard(ioc_));
    Accept();
    for (int i = 0; i < options.io_threads; ++i) threads_.emplace_back([this] { ioc_.run(); });
  }

  void Shutdown() {
    if (threads_.empty()) return;
    state_.draining = true;
    net::post(acceptor_.get_executor(), [this] {
      beast::error_code ignored;
      acceptor_.close(ignored);
    });
    registry_.DrainAll();
    const auto deadline =
        std::chrono::steady_clock::now() + std::chrono::seconds(state_.options.drain_seconds);
    while (registry_.Size() > 0 && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    if (registry_.Size() > 0) {
      core::log::Warn("http_drain_timeout", {{"connections", registry_.Size()}});
    }
    work_.reset();
    ioc_.stop();
    for (auto& thread : threads_) thread.join();
    threads_.clear();
  }

  uint16_t port() const { return port_; }
  bool tls() const { return tls_; }

 private:
  void LoadTls() {
    const auto& options = state_.options;
    if (options.tls_certificate.empty() || options.tls_private_key.empty()) {
      throw core::Error("TLS needs both server.tls_cert and server.tls_key_path");
    }
    ssl_context_.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                             ssl::context::no_sslv3 | ssl::context::no_tlsv1 |
                             ssl::context::no_tlsv1_1 | ssl::context::single_dh_use);
    beast::error_code ec;
    ssl_context_.use_certificate_chain_file(options.tls_certificate.string(), ec);
    if (ec) throw core::Error("cannot load TLS certificate " + options.tls_certificate.string());
    ssl_context_.use_private_key_file(options.tls_private_key.string(), ssl::context::pem, ec);
    if (ec) throw core::Error("cannot load TLS private key " + options.tls_private_key.string());
  }

  void Accept() {
    acceptor_.async_accept(
        net::make_strand(ioc_), [this](beast::error_code ec, tcp::socket socket) {
          if (ec) {
            if (!acceptor_.is_open()) return;  // shutting down
            // EMFILE and friends: keep serving the connections we have.
            core::log::Warn("http_accept_failed", {{"error", ec.message()}});
          } else if (state_.draining) {
            return;
          } else {
            socket.set_option(tcp::no_delay(true), ec);
            if (tls_) {
              std::make_shared<Session<beast::ssl_stream<beast::tcp_stream>>>(
                  beast::ssl_stream<beast::tcp_stream>(std::move(socket), ssl_context_), state_,
                  registry_, true)
                  ->Start();
            } else {
              std::make_shared<Session<beast::tcp_stream>>(beast::tcp_stream(std::move(socket)),
                                                           state_, registry_, false)
                  ->Start();
            }
          }
          Accept();
        });
  }

  // Declared before the io_context: sessions still queued in it are
  // destroyed with it and touch these on the way out.
  ServerState state_;
  SessionRegistry registry_;
  ssl::context ssl_context_;
  net::io_context ioc_;
  tcp::acceptor acceptor_;
  std::optional<net::executor_work_guard<net::io_context::executor_type>> work_;
  std::vector<std::thread> threads_;
  uint16_t port_ = 0;
  bool tls_ = false;
};

HttpServer::HttpServer(HttpServerOptions options, RequestHandler& handler)
    : impl_(std::make_unique<Impl>(std::move(options), handler)) {}

HttpServer::~HttpServer() { impl_->Shutdown(); }

void HttpServer::Start() { impl_->Start(); }
uint16_t HttpServer::port() const { return impl_->port(); }
bool HttpServer::tls() const { return impl_->tls(); }
void HttpServer::Shutdown() { impl_->Shutdown(); }

}  // namespace futureim::api
