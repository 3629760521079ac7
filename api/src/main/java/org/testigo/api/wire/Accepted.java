package org.testigo.api.wire;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A stored envelope: its id (32 lowercase hex) and the day it was received (yyyy-mm-dd). The
 * answer of {@code POST /api/v1/submissions} (the server's {@code SubmissionsServlet.Accepted}),
 * of {@code POST /api/v1/uploads/{id}/commit} and of
 * {@code POST /api/v1/reviewer/submissions/{id}/replies}.
 */
@JsonPropertyOrder({"id", "receivedDay"})
public record Accepted(
    @JsonProperty("id") String id,
    @JsonProperty("receivedDay") String receivedDay) {}
