package cloud.phonematch.verify.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import cloud.phonematch.verify.verification.AttemptSettings;
import cloud.phonematch.verify.verification.ChargeRule;

/** The charge rule with the operator's one choice in it: whether a paid call that may have been charged is repeated. */
@ApplicationScoped
public class ChargeRuleProducer {
    @Produces
    @Singleton
    ChargeRule chargeRule(AttemptSettings config) {
        return ChargeRule.of(config.repeatPossiblyCharged());
    }
}
