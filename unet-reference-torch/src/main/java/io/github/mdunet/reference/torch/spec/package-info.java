/**
 * The exchange format read from the project: the network description (network.json) and the recipe (recipe.json), as
 * validated records.
 */
package io.github.mdunet.reference.torch.spec;
