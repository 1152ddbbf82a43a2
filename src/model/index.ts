export * from "./action";
export * from "./event-factory";
export * from "./events";
export * from "./paths";
export * from "./resume-token";
export * from "./run-options";
