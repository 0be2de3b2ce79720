/* @refresh reload */
import { render } from "solid-js/web";
import "./styles.css";
import "./theme.ts";
import { App } from "./app.tsx";

render(() => <App />, document.getElementById("root")!);
