package io.vguest.domain;

import io.vguest.domain.xml.Domain;

/**
 * A rendered domain.
 *
 * @param xml the complete domain XML, metadata and its hash included
 * @param hash {@code sha256:<hex>} of everything that shapes the machine (the XML without the
 *     vguest metadata), so informational metadata never forces a redefine
 * @param model the typed model {@code xml} was written from, to compare with what a domain holds
 */
public record RenderedDomain(String xml, String hash, Domain model) {}
