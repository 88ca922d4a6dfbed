import { exitOnStartupError, startApp } from "./app";

startApp().catch(exitOnStartupError);
