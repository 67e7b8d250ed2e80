/**
 * What the function's REST clients share: how they are built and closed, and what becomes of a failure of one of
 * their connections.
 */
package cloud.phonematch.verify.http;
