package org.testigo.server.domain;

import java.time.LocalDate;
import org.testigo.api.EnvelopeId;

/**
 * One of a source's own envelopes shown with its proof of filing on the status page: the
 * report or a follow-up, and the day it was received (a receipt used for two reports shows
 * two proofs, each labelled, so the source can tell them apart).
 */
public record FiledEnvelope(EnvelopeId id, boolean followUp, LocalDate receivedDay) {}
