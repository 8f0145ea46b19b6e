/** Image/mask folders loaded into memory, normalised as network.json says, and the seeded flips and zoom. */
package io.github.mdunet.reference.torch.data;
