package io.github.mdunet.core.train;

import java.util.Arrays;

/**
 * How a learning rate is read off a {@link LearningRateSweep}'s curve, as fastai's {@code SuggestionMethod}s: each
 * takes the rates (increasing) and the smoothed losses of the sweep's {@link LearningRateSweep#window() window}, at
 * least two points, and gives a rate with the curve's point that marks it.
 */
public enum SuggestionMethod {

    /**
     * fastai's default: the longest valley (the longest run of points, in order, each lower than the one before
     * it, not necessarily adjacent), and the point about {@code 1/3 + 1/6} of the way along it: still on the steep
     * descent, well before the loss bottoms out.
     */
    VALLEY {
        @Override
        Suggestion suggest(double[] rates, double[] losses) {
            int n = losses.length;
            int[] valleyLength = new int[n];
            Arrays.fill(valleyLength, 1);
            int start = 0;
            int end = 0;
            for (int i = 1; i < n; i++) {
                for (int j = 0; j < i; j++) {
                    if (losses[i] < losses[j] && valleyLength[i] < valleyLength[j] + 1) {
                        valleyLength[i] = valleyLength[j] + 1;
                    }
                    if (valleyLength[end] < valleyLength[i]) {
                        end = i;
                        start = end - valleyLength[end];
                    }
                }
            }
            // fastai's start is one before the valley's first point; for a two-point valley from the window's first
            // point its index comes out -1, which Python reads as the window's last: take the first instead.
            double sections = (end - start) / 3.0;
            int index = Math.max(0, start + (int) sections + (int) (sections / 2));
            return new Suggestion(this, rates[index], rates[index], losses[index]);
        }
    },

    /** A tenth of the rate at the lowest loss (fastai's {@code minimum}); the mark is the lowest point itself. */
    MINIMUM {
        @Override
        Suggestion suggest(double[] rates, double[] losses) {
            int lowest = 0;
            for (int i = 1; i < losses.length; i++) {
                if (losses[i] < losses[lowest]) {
                    lowest = i;
                }
            }
            return new Suggestion(this, rates[lowest] / 10, rates[lowest], losses[lowest]);
        }
    },

    /** The rate where the loss falls fastest against the rate's logarithm (fastai's {@code steep}). */
    STEEP {
        @Override
        Suggestion suggest(double[] rates, double[] losses) {
            int steepest = 0;
            double steepestSlope = Double.POSITIVE_INFINITY;
            for (int i = 0; i + 1 < losses.length; i++) {
                double slope = (losses[i + 1] - losses[i]) / (Math.log(rates[i + 1]) - Math.log(rates[i]));
                if (slope < steepestSlope) {
                    steepestSlope = slope;
                    steepest = i;
                }
            }
            return new Suggestion(this, rates[steepest], rates[steepest], losses[steepest]);
        }
    };

    /** The suggestion for the curve {@code losses} over {@code rates} (same length, at least 2). */
    abstract Suggestion suggest(double[] rates, double[] losses);

    /**
     * A suggested learning rate.
     *
     * @param method    how it was read off the curve
     * @param rate      the rate to train with
     * @param markRate  the rate of the curve's point that marks it (the lowest point's for {@link #MINIMUM})
     * @param markLoss  the smoothed loss there
     */
    public record Suggestion(SuggestionMethod method, double rate, double markRate, double markLoss) {
    }
}
