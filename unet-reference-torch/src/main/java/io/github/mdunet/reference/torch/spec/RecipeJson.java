package io.github.mdunet.reference.torch.spec;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

/** Reads recipe.json into a {@link Recipe} and writes it back (for the provenance in results.json). */
public final class RecipeJson {

    private RecipeJson() {
    }

    public static Recipe read(Path file) throws IOException {
        return JsonFields.readFile(file, RecipeJson::parse);
    }

    public static Recipe parse(String json) throws IOException {
        JsonFields root = new JsonFields(NetworkJson.MAPPER.readTree(json), "recipe.json");
        JsonFields adamFields = root.object("adam");
        AdamSettings adam = new AdamSettings(adamFields.number("beta1"), adamFields.number("beta2"),
                adamFields.number("epsilon"));
        adamFields.rejectUnknown();
        JsonFields scheduleFields = root.object("schedule");
        String type = scheduleFields.string("type");
        LrSchedule schedule = switch (type) {
            case LrSchedule.OneCycle.TYPE -> new LrSchedule.OneCycle(scheduleFields.number("warmupFraction"),
                    scheduleFields.number("startDivisor"), scheduleFields.number("endDivisor"));
            case LrSchedule.Constant.TYPE -> new LrSchedule.Constant();
            default -> throw new IllegalArgumentException(scheduleFields.context() + ".type: '" + type
                    + "' is not one of " + List.of(LrSchedule.OneCycle.TYPE, LrSchedule.Constant.TYPE));
        };
        scheduleFields.rejectUnknown();
        OptionalLong totalSteps = root.has("totalSteps") ? OptionalLong.of(root.integer("totalSteps"))
                : OptionalLong.empty();
        root.integer("totalSteps", 0);
        Recipe recipe = new Recipe(root.number("learningRate"), adam, root.number("weightDecay"), schedule,
                root.integer("batchSize"), root.integer("epochs"), totalSteps);
        root.rejectUnknown();
        return recipe;
    }

    /** The recipe as recipe.json would state it. */
    public static ObjectNode toJson(Recipe recipe) {
        ObjectNode root = NetworkJson.MAPPER.createObjectNode();
        root.put("learningRate", recipe.learningRate());
        ObjectNode adam = root.putObject("adam");
        adam.put("beta1", recipe.adam().beta1());
        adam.put("beta2", recipe.adam().beta2());
        adam.put("epsilon", recipe.adam().epsilon());
        root.put("weightDecay", recipe.weightDecay());
        ObjectNode schedule = root.putObject("schedule");
        schedule.put("type", recipe.schedule().type());
        if (recipe.schedule() instanceof LrSchedule.OneCycle oneCycle) {
            schedule.put("warmupFraction", oneCycle.warmupFraction());
            schedule.put("startDivisor", oneCycle.startDivisor());
            schedule.put("endDivisor", oneCycle.endDivisor());
        }
        root.put("batchSize", recipe.batchSize());
        root.put("epochs", recipe.epochs());
        recipe.totalSteps().ifPresent(steps -> root.put("totalSteps", steps));
        return root;
    }
}
