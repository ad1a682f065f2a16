// Calls into the Rust core through Tauri commands.
import { invoke } from "@tauri-apps/api/core";
import type { DoctorReport } from "./protocol";

/** The doctor report computed by dark8-core. */
export function fetchDoctorReport(): Promise<DoctorReport> {
  return invoke<DoctorReport>("doctor_report");
}
