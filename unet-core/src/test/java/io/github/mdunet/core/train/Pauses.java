package io.github.mdunet.core.train;

/** Pauses for the child JVMs that the kill tests stop mid-run: slow enough that a kill lands inside the run. */
final class Pauses {

    private Pauses() {
    }

    /** Sleeps {@code millis}; an interrupt ends the sleep early and stays set. */
    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@link Validator#loss()} after a pause of {@code millis} in every validation. */
    static Validator slowLoss(long millis) {
        return (unet, validation) -> {
            sleep(millis);
            return Validator.loss().validate(unet, validation);
        };
    }
}
