/**
 * A local stand-in for the deployed HTTP API (API Gateway, payload format 2.0, the {@code $default} stage), for dev
 * mode only: {@code curl http://localhost:3000/verifications} gets the status, headers and body the deployed API
 * would give, because the request becomes the event API Gateway would send and goes through the function's own
 * handler. The stage's throttling is mimicked with a token bucket; authorization is not (the {@code Auth=NONE} case).
 * <p>
 * Started by {@link cloud.phonematch.verify.localgateway.LocalGatewayStarter}, a bean that exists in dev builds only.
 * Nothing here is in the production package: this package is a module of its own ({@code local-gateway/}), a
 * provided-scope dependency of the function, which Quarkus puts on the class path of dev mode and tests and never in
 * a production build; so a Lambda init neither loads these classes nor opens a port. It knows the function only as
 * the {@code RequestStreamHandler} bean that {@code quarkus.lambda.handler} names.
 */
package cloud.phonematch.verify.localgateway;
