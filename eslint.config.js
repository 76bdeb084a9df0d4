// Lint: typescript-eslint's recommended rules plus size and complexity limits that keep
// files small and single-purpose (a file over ~400 lines or a function over ~60 is a sign to split).
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", ".vexil/**", "sdk-templates/**", "coverage/**", "**/*.cjs"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      complexity: ["error", 20],
      "max-depth": ["error", 4],
      "max-lines": ["error", { max: 450, skipBlankLines: true, skipComments: true }],
      "max-lines-per-function": ["error", { max: 80, skipBlankLines: true, skipComments: true }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    files: ["**/*.test.ts", "test/**", "bench/**"],
    rules: { "max-lines-per-function": "off", "max-lines": ["error", 700], complexity: "off" },
  },
);
