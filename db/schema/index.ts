export * from "./identity";
export * from "./accounts";
export * from "./activities";
export * from "./jobs";
export * from "./mail";
export * from "./ops";
export * from "./kb";
export * from "./forum";
