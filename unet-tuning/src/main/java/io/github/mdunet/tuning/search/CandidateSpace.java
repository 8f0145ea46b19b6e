package io.github.mdunet.tuning.search;

import io.github.mdunet.core.config.ChannelReduction;
import io.github.mdunet.core.config.UpsampleMode;
import io.github.mdunet.tuning.candidate.CandidateValues;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.arbiter.optimize.api.AbstractParameterSpace;
import org.deeplearning4j.arbiter.optimize.api.ParameterSpace;
import org.deeplearning4j.arbiter.optimize.parameter.FixedValue;
import org.deeplearning4j.arbiter.optimize.parameter.continuous.ContinuousParameterSpace;
import org.deeplearning4j.arbiter.optimize.parameter.discrete.DiscreteParameterSpace;

/**
 * A {@link SearchSpace} as Arbiter's {@link ParameterSpace}: a composite of leaf spaces (continuous for a mid-scale
 * range, discrete for explicit mid scales and the rest) that Arbiter's generators index and sample;
 * {@link #getValue} turns a point of {@code [0, 1]^n} into {@link CandidateValues}.
 */
final class CandidateSpace extends AbstractParameterSpace<CandidateValues> {

    private final ParameterSpace<Double> midChannelScale;
    private final ParameterSpace<ChannelReduction> reduction;
    private final ParameterSpace<UpsampleMode> upsample;
    private final ParameterSpace<Boolean> midAttention;

    CandidateSpace(SearchSpace space) {
        midChannelScale = midScaleSpace(space.midChannelScales());
        reduction = discrete(space.reductions());
        upsample = discrete(space.upsampleModes());
        midAttention = discrete(space.midAttention());
    }

    private static ParameterSpace<Double> midScaleSpace(MidChannelScales scales) {
        if (scales instanceof MidChannelScales.Values values) {
            return discrete(values.values());
        }
        // The only other permitted type: a new one fails here, loudly, instead of falling through.
        MidChannelScales.Range range = (MidChannelScales.Range) scales;
        return range.fixed() ? new FixedValue<>(range.min())
                : new ContinuousParameterSpace(range.min(), range.max());
    }

    @SuppressWarnings("unchecked")
    private static <T> ParameterSpace<T> discrete(List<T> values) {
        return values.size() == 1 ? new FixedValue<>(values.get(0))
                : new DiscreteParameterSpace<>((T[]) values.toArray());
    }

    @Override
    public CandidateValues getValue(double[] parameterValues) {
        return new CandidateValues(midChannelScale.getValue(parameterValues), reduction.getValue(parameterValues),
                upsample.getValue(parameterValues), midAttention.getValue(parameterValues));
    }

    @Override
    public int numParameters() {
        return collectLeaves().stream().mapToInt(ParameterSpace::numParameters).sum();
    }

    @Override
    public List<ParameterSpace> collectLeaves() {
        List<ParameterSpace> leaves = new ArrayList<>();
        for (ParameterSpace<?> space : getNestedSpaces().values()) {
            leaves.addAll(space.collectLeaves());
        }
        return leaves;
    }

    @Override
    public Map<String, ParameterSpace> getNestedSpaces() {
        Map<String, ParameterSpace> spaces = new LinkedHashMap<>();
        spaces.put("midChannelScale", midChannelScale);
        spaces.put("reduction", reduction);
        spaces.put("upsample", upsample);
        spaces.put("midAttention", midAttention);
        return spaces;
    }

    @Override
    public boolean isLeaf() {
        return false;
    }

    @Override
    public void setIndices(int... indices) {
        throw new UnsupportedOperationException("CandidateSpace is not a leaf: Arbiter sets the indices of its leaves");
    }
}
