/**
 * Native memory: JavaCPP's limits raised and large freed arrays returned for the apps, and a clear error when a step or
 * a prediction hits the limits.
 */
package io.github.mdunet.core.nativememory;
