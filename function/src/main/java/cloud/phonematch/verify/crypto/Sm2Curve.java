package cloud.phonematch.verify.crypto;

import org.bouncycastle.asn1.gm.GMNamedCurves;
import org.bouncycastle.asn1.gm.GMObjectIdentifiers;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECNamedDomainParameters;

/**
 * The SM2 curve {@code sm2p256v1} (GB/T 32918.5, OID 1.2.156.10197.1.301): public constants only.
 * <p>
 * Built on first use, not when the class is initialized: Quarkus initializes every application class during
 * init (its SnapStart class list, used on every cold start), and building the curve loads some seventy Bouncy
 * Castle classes and checks the base point, which a function that does not encrypt with SM2 never needs.
 */
final class Sm2Curve {
    private static volatile ECDomainParameters domain;

    private Sm2Curve() {
    }

    static ECDomainParameters domain() {
        ECDomainParameters built = domain;
        if (built == null) {
            // Building twice in a race is harmless: the parameters are immutable and equal.
            built = new ECNamedDomainParameters(GMObjectIdentifiers.sm2p256v1,
                    GMNamedCurves.getByOID(GMObjectIdentifiers.sm2p256v1));
            domain = built;
        }
        return built;
    }
}
