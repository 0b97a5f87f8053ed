package io.vguest.packaging;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The little of a Kubernetes API server the chart's {@code lookup} of its identity Secret needs:
 * core/v1 discovery and GET of Secrets. Helm's Java binding renders with cluster access (like
 * {@code helm install --dry-run=server}), so it reads this server through the kubeconfig the test
 * JVM is given ({@code KUBECONFIG}, set by the build). A Secret put here is what an earlier
 * install left in the cluster.
 */
final class FakeApiServer {

  private static FakeApiServer instance;

  private final HttpServer server;
  private final Map<String, String> secrets = new ConcurrentHashMap<>();

  private FakeApiServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  /** The server, started on first use, with the kubeconfig Helm reads pointing at it. */
  static synchronized FakeApiServer get() throws IOException {
    if (instance == null) {
      instance = new FakeApiServer();
      String kubeconfig = System.getenv("KUBECONFIG");
      if (kubeconfig == null || kubeconfig.isBlank()) {
        throw new IllegalStateException("KUBECONFIG is not set: the build sets it for the chart tests");
      }
      String url = "http://127.0.0.1:" + instance.server.getAddress().getPort();
      Files.createDirectories(Path.of(kubeconfig).toAbsolutePath().getParent());
      Files.writeString(Path.of(kubeconfig), """
          apiVersion: v1
          kind: Config
          clusters:
          - name: fake
            cluster:
              server: %s
          contexts:
          - name: fake
            context:
              cluster: fake
              namespace: default
          current-context: fake
          users:
          - name: fake
            user: {}
          """.formatted(url));
    }
    return instance;
  }

  /** A Secret with one key, as an earlier install would have left it. */
  void putSecret(String namespace, String name, String key, String value) {
    String data = Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    secrets.put(namespace + "/" + name, """
        {"apiVersion":"v1","kind":"Secret","metadata":{"name":"%s","namespace":"%s"},
         "type":"Opaque","data":{"%s":"%s"}}""".formatted(name, namespace, key, data));
  }

  void clear() {
    secrets.clear();
  }

  private void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    if (path.equals("/api/v1")) {
      respond(exchange, 200, """
          {"kind":"APIResourceList","groupVersion":"v1","resources":[
           {"name":"secrets","singularName":"secret","namespaced":true,"kind":"Secret",
            "verbs":["get","list"]}]}""");
    } else if (path.equals("/api")) {
      respond(exchange, 200, """
          {"kind":"APIVersions","versions":["v1"],"serverAddressByClientCIDRs":[]}""");
    } else if (path.equals("/apis")) {
      respond(exchange, 200, """
          {"kind":"APIGroupList","apiVersion":"v1","groups":[]}""");
    } else if (path.equals("/version")) {
      respond(exchange, 200, """
          {"major":"1","minor":"31","gitVersion":"v1.31.0","platform":"linux/amd64"}""");
    } else if (path.matches("/api/v1/namespaces/[^/]+/secrets/[^/]+")) {
      String[] parts = path.split("/");
      String secret = secrets.get(parts[4] + "/" + parts[6]);
      if (secret != null) {
        respond(exchange, 200, secret);
      } else {
        notFound(exchange, parts[6]);
      }
    } else {
      notFound(exchange, path);
    }
  }

  private static void notFound(HttpExchange exchange, String what) throws IOException {
    respond(exchange, 404, """
        {"kind":"Status","apiVersion":"v1","status":"Failure","reason":"NotFound","code":404,
         "message":"%s not found"}""".formatted(what.replace("\"", "")));
  }

  private static void respond(HttpExchange exchange, int code, String json) throws IOException {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(code, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }
}
