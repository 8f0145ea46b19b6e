/** Files that survive a crash: atomic, synced replacement, clean-up of what a killed write left, directory locks. */
package io.github.mdunet.core.files;
