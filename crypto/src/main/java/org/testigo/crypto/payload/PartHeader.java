package org.testigo.crypto.payload;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The JSON header of one payload part: its role ({@code questionnaire}, {@code message},
 * {@code file}, {@code erasure-request}), the file name the sender gave (files only) and the declared media type.
 */
@JsonPropertyOrder({"name", "filename", "type"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PartHeader(String name, String filename, String type) {
  public static final String QUESTIONNAIRE = "questionnaire";
  public static final String MESSAGE = "message";
  public static final String FILE = "file";
  /** A source's request for early erasure, the one part of its follow-up (docs/spec/retention-and-erasure.md §4.2). */
  public static final String ERASURE_REQUEST = "erasure-request";
}
