package io.anymq.spring;

import io.anymq.ConfigurationException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a start that failed on anymq's configuration (an unknown or bad {@code anymq.*}
 * property, a malformed URL, a scheme without a provider on the class path) in Spring Boot's
 * "APPLICATION FAILED TO START" report. The description is the exception's message, which names
 * the option and lists the provider's options (secrets are never in it).
 */
class AnymqConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<ConfigurationException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, ConfigurationException cause) {
        return new FailureAnalysis("anymq could not be configured: " + cause.getMessage(),
                "Every property under 'anymq.' except 'anymq.url' is an option of the URL's provider, "
                        + "with the name it has in the URL's query (see the provider's README); rename or remove "
                        + "the property, or put native client settings under the provider's pass-through prefix "
                        + "(such as anymq.kafka.). A URL's scheme needs the provider's module on the class path.",
                cause);
    }
}
