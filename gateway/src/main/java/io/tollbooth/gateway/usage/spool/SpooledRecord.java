package io.tollbooth.gateway.usage.spool;

/**
 * One usage event in the spool.
 *
 * @param seq its place in the spool's order, unique and growing
 * @param key its Kafka record key (the client id)
 * @param value the encoded event
 */
record SpooledRecord(long seq, String key, byte[] value) {
}
