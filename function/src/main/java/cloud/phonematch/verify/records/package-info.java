/**
 * Memory across invocations: idempotency keys, on a {@link cloud.phonematch.verify.records.RecordStore} — the
 * DynamoDB table every container shares ({@link cloud.phonematch.verify.records.DynamoDbRecordStore}) or, without
 * one, the container's memory (the embedded default). Records hold only HMACs of the caller's values, the outcome as
 * the function returned it (the number already masked), timestamps, an expiry and a claim's random owner id; never
 * a name, a number or a key in the clear.
 */
package cloud.phonematch.verify.records;
