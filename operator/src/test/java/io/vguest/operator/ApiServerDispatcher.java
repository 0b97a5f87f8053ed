package io.vguest.operator;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

/**
 * fabric8's CRUD dispatcher, answering a JSON patch whose {@code test} fails (or whose path does
 * not exist) as the API server does: 422 Unprocessable Entity, nothing applied. fabric8's own
 * dispatcher throws there and never answers, so the client would wait for a response until it
 * times out. Every mock API server of the agent tests uses this one.
 */
class ApiServerDispatcher extends KubernetesCrudDispatcher {

  @Override
  public MockResponse handlePatch(RecordedRequest request) {
    try {
      return super.handlePatch(request);
    } catch (RuntimeException e) {
      if (!e.getClass().getName().endsWith("JsonPatchException")) {
        throw e;
      }
      return new MockResponse().setResponseCode(422).setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\","
          + "\"status\":\"Failure\",\"message\":\"" + String.valueOf(e.getMessage()).replace("\"", "'")
          + "\",\"reason\":\"Invalid\",\"code\":422}");
    }
  }
}
