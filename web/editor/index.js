// The code editors of the page: CodeMirror 6 with SQL or YAML highlighting, line numbers and
// error marks. esbuild bundles this file into one script (`DataflowEditor`, see package.json),
// and the Rust side (crates/app/src/editor.rs) calls the functions below through wasm-bindgen.
import { basicSetup } from 'codemirror';
import { EditorView, keymap } from '@codemirror/view';
import { Annotation, Compartment, EditorState, Prec } from '@codemirror/state';
import { sql, SQLDialect } from '@codemirror/lang-sql';
import { yaml } from '@codemirror/lang-yaml';
import { lintGutter, setDiagnostics } from '@codemirror/lint';
import { python } from '@codemirror/lang-python';
import { StreamLanguage } from '@codemirror/language';
import { scala } from '@codemirror/legacy-modes/mode/clike';
import { r } from '@codemirror/legacy-modes/mode/r';
import { toml } from '@codemirror/legacy-modes/mode/toml';
import { properties } from '@codemirror/legacy-modes/mode/properties';
import { groovy } from '@codemirror/legacy-modes/mode/groovy';

// Spark SQL as the steps are written: "text" is a string, `name` an identifier. Its keywords and
// function names come from the engine (`setVocabulary`), which keeps Spark's lists.
const sparkQuoting = { doubleQuotedStrings: true, identifierQuotes: '`', backslashEscapes: true };
let SparkSQL = SQLDialect.define(sparkQuoting);

/**
 * Spark's keywords and built-in function names (space-separated), for highlighting and completion
 * in every SQL editor created after this call.
 */
export function setVocabulary(keywords, functions) {
  SparkSQL = SQLDialect.define({ ...sparkQuoting, keywords: keywords.toLowerCase(), builtin: functions.toLowerCase() });
}

function sparkSql(schema, defaultTable, defaultSchema) {
  return sql({ dialect: SparkSQL, upperCaseKeywords: true, schema, defaultTable, defaultSchema });
}

// Each editor's language, so an SQL editor's tables and columns can change (`setSchema`).
const languages = new Compartment();

// The template gallery's files: Python, Scala, R, TOML, INI and Gradle besides SQL and YAML.
function languageFor(name) {
  switch (name) {
    case 'yaml': return yaml();
    case 'python': return python();
    case 'scala': return StreamLanguage.define(scala);
    case 'r': return StreamLanguage.define(r);
    case 'toml': return StreamLanguage.define(toml);
    case 'ini': return StreamLanguage.define(properties);
    case 'groovy': return StreamLanguage.define(groovy);
    case 'text': return [];
    default: return sparkSql(undefined);
  }
}

// Marks a change made by the app (not typed), so it is not echoed back as an edit.
const fromApp = Annotation.define();

/**
 * Creates an editor in `parent` holding `doc`. `language` is "sql", "yaml", "python", "scala",
 * "r", "toml", "ini", "groovy" or "text"; `onChange(text)` gets the whole text after each edit
 * the user makes; `readOnly` makes a viewer. Mod-Enter is left to the page (it runs).
 */
export function create(parent, doc, language, label, onChange, readOnly) {
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc,
      extensions: [
        basicSetup,
        languages.of(languageFor(language)),
        EditorState.readOnly.of(Boolean(readOnly)),
        lintGutter(),
        // basicSetup binds Mod-Enter to "insert blank line". Here it is swallowed, and the key press
        // bubbles on to the page's own listener, which runs the pipeline.
        Prec.highest(keymap.of([{ key: 'Mod-Enter', run: () => true }])),
        EditorView.contentAttributes.of({ 'aria-label': label }),
        EditorView.updateListener.of((update) => {
          if (update.docChanged && !update.transactions.some((t) => t.annotation(fromApp))) {
            onChange(update.state.doc.toString());
          }
        }),
      ],
    }),
  });
  // Tests and the console can reach the view from its element.
  parent.dataflowEditor = view;
  return view;
}

/** Replaces the text, unless it is already the same (keeps the cursor while typing). */
export function setText(view, text) {
  if (view.state.doc.toString() === text) return;
  view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text }, annotations: fromApp.of(true) });
}

/** Marks `[from, to)` (UTF-16 offsets) as an error with `message`; `focus` also moves the cursor there. */
export function markError(view, from, to, message, focus) {
  const length = view.state.doc.length;
  const start = Math.min(Math.max(0, from), length);
  const end = Math.min(Math.max(start, to), length);
  view.dispatch(setDiagnostics(view.state, [{ from: start, to: end, severity: 'error', message }]));
  if (focus) {
    view.dispatch({ selection: { anchor: start, head: end }, scrollIntoView: true });
    view.focus();
  }
}

/**
 * Offers these tables' columns as you type in an SQL editor: `tablesJson` is a JSON array of
 * [table name, column names] pairs, in run order (`[["some_db.source_table", ["title_id", …]],
 * ["STEP_1", […]]]`). The last table's columns come without a prefix (a step usually reads the
 * one before it); the others' after `TABLE.`.
 */
export function setSchema(view, tablesJson) {
  const pairs = JSON.parse(tablesJson);
  const schema = Object.fromEntries(pairs);
  const last = pairs.length ? pairs[pairs.length - 1][0] : undefined;
  const dot = last ? last.lastIndexOf('.') : -1;
  const [defaultSchema, defaultTable] = dot > 0 ? [last.slice(0, dot), last.slice(dot + 1)] : [undefined, last];
  view.dispatch({ effects: languages.reconfigure(sparkSql(schema, defaultTable, defaultSchema)) });
}

/** Removes every error mark. */
export function clearMarks(view) {
  view.dispatch(setDiagnostics(view.state, []));
}

/** Takes the editor out of the page. */
export function destroy(view) {
  view.destroy();
}
