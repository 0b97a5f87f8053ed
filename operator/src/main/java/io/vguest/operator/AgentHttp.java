package io.vguest.operator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * The agent's HTTP endpoints on one port, served by the JDK's HTTP server: {@code /metrics}
 * (Prometheus), {@code /healthz} (the process and its controllers are alive) and {@code /readyz}
 * (the watches are synced, the agent holds its node's Lease and libvirt is connected).
 */
public final class AgentHttp implements AutoCloseable {

  private final HttpServer server;

  private AgentHttp(HttpServer server) {
    this.server = server;
  }

  public static AgentHttp start(int port, NodeAgent agent) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
    server.createContext("/metrics", exchange -> respond(exchange, 200,
        "text/plain; version=0.0.4; charset=utf-8", agent.metrics().scrape()));
    server.createContext("/healthz", exchange -> {
      boolean live = agent.live();
      respond(exchange, live ? 200 : 503, "text/plain", live ? "ok\n" : "controllers stopped\n");
    });
    server.createContext("/readyz", exchange -> {
      String problem = agent.notReady().orElse(null);
      respond(exchange, problem == null ? 200 : 503, "text/plain", problem == null ? "ok\n" : problem + "\n");
    });
    server.setExecutor(Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "vguest-http");
      t.setDaemon(true);
      return t;
    }));
    server.start();
    return new AgentHttp(server);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private static void respond(HttpExchange exchange, int code, String type, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(code, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
