package org.testigo.api.wire;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * A page of a feed: the items after the cursor, the cursor to ask with next, and whether
 * there is more. The shape of every paged answer: the reviewer feeds ({@code submissions},
 * {@code events}, {@code rewraps}; the server's {@code ReviewerService.Page}) and the public audit
 * feeds ({@code AuditFeedResource.PageJson}).
 */
@JsonPropertyOrder({"items", "next", "more"})
public record Page<T>(
    @JsonProperty("items") List<T> items,
    @JsonProperty("next") long next,
    @JsonProperty("more") boolean more) {}
