/**
 * The business side of ImCore: {@link io.imcore.client.ImClient} (an instance) and
 * {@link io.imcore.client.ImHelper} (a static facade over one), publishing to the push nodes through Redis as
 * PROTOCOL.md says.
 */
package io.imcore.client;
