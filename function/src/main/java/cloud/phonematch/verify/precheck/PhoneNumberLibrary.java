package cloud.phonematch.verify.precheck;

import com.google.i18n.phonenumbers.PhoneNumberToCarrierMapper;
import com.google.i18n.phonenumbers.PhoneNumberUtil;

/**
 * Lazily initialised access to libphonenumber's singletons.
 *
 * <p>Why: {@link PhoneNumberUtil} and especially the carrier mapper load sizeable metadata.
 * In a Lambda every millisecond of cold start is billed and visible to the caller, so nothing is
 * loaded until a number is actually validated or a carrier is actually looked up. The
 * holder-class idiom gives that laziness with JVM-guaranteed, lock-free thread safety, and each
 * holder is independent so validating a number never loads the carrier data.
 */
final class PhoneNumberLibrary {

    private PhoneNumberLibrary() {
    }

    /** The shared phone number parser/validator, loaded on first call. */
    static PhoneNumberUtil phoneNumberUtil() {
        return PhoneNumberUtilHolder.INSTANCE;
    }

    /** The shared carrier-name mapper, loaded on first call. */
    static PhoneNumberToCarrierMapper carrierMapper() {
        return CarrierMapperHolder.INSTANCE;
    }

    private static final class PhoneNumberUtilHolder {
        static final PhoneNumberUtil INSTANCE = PhoneNumberUtil.getInstance();
    }

    private static final class CarrierMapperHolder {
        static final PhoneNumberToCarrierMapper INSTANCE = PhoneNumberToCarrierMapper.getInstance();
    }
}
