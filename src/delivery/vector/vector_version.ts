/**
 * The one Vector version of the project: what the cluster agents run
 * (k8s/base/kustomization.yaml), what the processor image bundles for the
 * `vector` engine (Containerfile `ARG VECTOR_VERSION`), what the generated
 * configurations and the observed reference runs
 * (tests/testdata/vector-reference/observed-0.58.0) are for, and what the
 * docs name. Change it here and in those places together:
 * tests/vector_version_test.ts fails while any of them disagrees.
 *
 * @module
 */

/** The pinned Vector release. */
export const VECTOR_VERSION = "0.58.0";
/** The image variant used for both the agents and the processor image's `vector` binary. */
export const VECTOR_IMAGE_VARIANT = "distroless-libc";
