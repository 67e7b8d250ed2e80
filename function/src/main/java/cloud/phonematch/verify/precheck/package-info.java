/**
 * Local pre-check of a (name, mobile) pair before the paid upstream verification API is called.
 *
 * <p>Why this package exists: every upstream call costs money and latency, and a large share of
 * bad requests are plainly malformed (a typo in the number, a landline, a digit in the name,
 * full-width characters from a Chinese IME). Catching those locally is free and gives the caller
 * a precise reason. Everything here is a pure function over strings: no framework, no I/O, no
 * logging, so it can be unit- and property-tested in isolation and reused from any handler.
 *
 * <p>Privacy rule for the whole package: names and phone numbers are personal data, so they never
 * appear in exception messages or {@code toString()} output. Only masked numbers
 * ({@link cloud.phonematch.verify.precheck.MobileNumbers#mask(String)}) and lengths are printed.
 */
package cloud.phonematch.verify.precheck;
