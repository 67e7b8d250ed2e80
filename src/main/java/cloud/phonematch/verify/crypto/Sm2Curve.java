package cloud.phonematch.verify.crypto;

import org.bouncycastle.asn1.gm.GMNamedCurves;
import org.bouncycastle.asn1.gm.GMObjectIdentifiers;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECNamedDomainParameters;

/**
 * The SM2 curve {@code sm2p256v1} (GB/T 32918.5, OID 1.2.156.10197.1.301). Public constants only, so it
 * may be initialized at build time or before a snapshot.
 */
final class Sm2Curve {
    static final ECDomainParameters DOMAIN =
            new ECNamedDomainParameters(GMObjectIdentifiers.sm2p256v1, GMNamedCurves.getByOID(GMObjectIdentifiers.sm2p256v1));

    private Sm2Curve() {
    }
}
