/**
 * JSON for every package: the one mapper, the strict reader for what comes from outside (a key given twice or data
 * after the value is refused) and the small helpers to read and write trees. Knows nothing of the function's own
 * shapes; {@code output} renders those.
 */
package cloud.phonematch.verify.json;
