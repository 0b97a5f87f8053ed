package io.vguest.operator;

import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.CustomResourceAware;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.ByteString;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The agent tests' CRUD dispatcher ({@link ApiServerDispatcher}) with faults: answers chosen writes with 500 Internal Server Error,
 * either instead of applying them or after applying them (the write happened, its answer was
 * lost), lets another writer change the object just before a write, and closes open watches on
 * demand. Records what it did with each write.
 */
final class FaultyApiDispatcher extends Dispatcher implements CustomResourceAware {

  /** How an injected fault treats the write it hits. */
  enum Fault {
    /** 500, nothing applied. */
    REFUSE,
    /** Applied, then answered with 500. */
    APPLY_THEN_FAIL,
    /**
     * Another writer changes the object first (a merge patch of a label), then the write is
     * handled: a write guarded by the resourceVersion it read is refused with 422.
     */
    CHANGED_FIRST
  }

  /** One write the server answered, with what the answer was. */
  record Write(String method, String path, String body, int code, boolean applied) {}

  private record Rule(Predicate<RecordedRequest> which, Fault fault, int[] remaining) {}

  private final ApiServerDispatcher crud = new ApiServerDispatcher();
  private final List<Rule> rules = new ArrayList<>();
  private final List<Write> writes = new ArrayList<>();
  private final Set<WebSocket> watches = ConcurrentHashMap.newKeySet();

  /** Fails the next {@code times} requests that match with the given fault. */
  synchronized void fail(Predicate<RecordedRequest> which, Fault fault, int times) {
    rules.add(new Rule(which, fault, new int[] {times}));
  }

  /** Writes to one guest (spec or metadata), not its status. */
  static Predicate<RecordedRequest> guestPatch(String name) {
    return r -> r.getMethod().equals("PATCH") && pathOf(r).endsWith("/virtualguests/" + name);
  }

  /** Status writes of one guest. */
  static Predicate<RecordedRequest> statusPatch(String name) {
    return r -> r.getMethod().equals("PATCH") && pathOf(r).endsWith("/virtualguests/" + name + "/status");
  }

  static String pathOf(RecordedRequest r) {
    String path = r.getPath();
    int q = path.indexOf('?');
    return q < 0 ? path : path.substring(0, q);
  }

  /** Every write the server answered so far. */
  synchronized List<Write> writes() {
    return List.copyOf(writes);
  }

  /** Closes every open watch from the server's side, as an API server restart or a load balancer does. */
  int closeWatches() {
    int closed = 0;
    for (WebSocket watch : List.copyOf(watches)) {
      if (watch.close(1000, "closed by the test")) {
        closed++;
      }
      watches.remove(watch);
    }
    return closed;
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    String body = request.getBody() == null ? "" : new String(request.getBody().getBytes(), StandardCharsets.UTF_8);
    Fault fault = faultFor(request);
    if (fault == Fault.REFUSE) {
      record(request, body, 500, false);
      return serverError();
    }
    if (fault == Fault.CHANGED_FIRST) {
      crud.dispatch(new RecordedRequest("HTTP/1.1", HttpMethod.PATCH, pathOf(request), Headers.builder()
          .add("Content-Type", "application/merge-patch+json").build(), new Buffer().writeUtf8(
          "{\"metadata\":{\"labels\":{\"example.com/changed-by\":\"another-writer\"}}}")));
    }
    MockResponse response = crud.dispatch(request);
    if (fault == Fault.APPLY_THEN_FAIL) {
      record(request, body, 500, response.code() < 300);
      return serverError();
    }
    if (!request.getMethod().equals("GET")) {
      record(request, body, response.code(), response.code() < 300);
    }
    WebSocketListener listener = response.getWebSocketListener();
    if (listener != null) {
      response.withWebSocketUpgrade(new Tracked(listener));
    }
    return response;
  }

  private synchronized Fault faultFor(RecordedRequest request) {
    for (Rule rule : rules) {
      if (rule.remaining()[0] > 0 && rule.which().test(request)) {
        rule.remaining()[0]--;
        return rule.fault();
      }
    }
    return null;
  }

  private synchronized void record(RecordedRequest request, String body, int code, boolean applied) {
    writes.add(new Write(request.getMethod(), pathOf(request), body, code, applied));
  }

  private static MockResponse serverError() {
    return new MockResponse().setResponseCode(500).setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\","
        + "\"status\":\"Failure\",\"message\":\"injected fault\",\"reason\":\"InternalError\",\"code\":500}");
  }

  @Override
  public void expectCustomResource(CustomResourceDefinitionContext context) {
    crud.expectCustomResource(context);
  }

  @Override
  public void shutdown() {
    crud.shutdown();
  }

  /** Passes every callback on and remembers the open socket so it can be closed. */
  private final class Tracked extends WebSocketListener {
    private final WebSocketListener delegate;

    Tracked(WebSocketListener delegate) {
      this.delegate = delegate;
    }

    @Override
    public void onBeforeAccept(WebSocket webSocket, Response response) {
      delegate.onBeforeAccept(webSocket, response);
    }

    @Override
    public void onOpen(WebSocket webSocket, Response response) {
      watches.add(webSocket);
      delegate.onOpen(webSocket, response);
    }

    @Override
    public void onMessage(WebSocket webSocket, String text) {
      delegate.onMessage(webSocket, text);
    }

    @Override
    public void onMessage(WebSocket webSocket, ByteString bytes) {
      delegate.onMessage(webSocket, bytes);
    }

    @Override
    public void onMessage(WebSocket webSocket, byte[] bytes) {
      delegate.onMessage(webSocket, bytes);
    }

    @Override
    public void onClosing(WebSocket webSocket, int code, String reason) {
      delegate.onClosing(webSocket, code, reason);
    }

    @Override
    public void onClosed(WebSocket webSocket, int code, String reason) {
      watches.remove(webSocket);
      delegate.onClosed(webSocket, code, reason);
    }

    @Override
    public void onFailure(WebSocket webSocket, Throwable t, Response response) {
      watches.remove(webSocket);
      delegate.onFailure(webSocket, t, response);
    }
  }
}
