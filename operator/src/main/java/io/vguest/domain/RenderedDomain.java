package io.vguest.domain;

/**
 * A rendered domain.
 *
 * @param xml the complete domain XML, metadata and its hash included
 * @param hash {@code sha256:<hex>} of everything that shapes the machine (the XML without the
 *     vguest metadata), so informational metadata never forces a redefine
 */
public record RenderedDomain(String xml, String hash) {}
