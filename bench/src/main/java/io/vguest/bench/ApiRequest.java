package io.vguest.bench;

/** One request an API server received (mock) or a counted client sent (real): method, path with query, user agent. */
public record ApiRequest(String method, String path, String userAgent) {}
