// The API shapes the dashboard reads (field names as in the OpenAPI document).

export type TaskState =
  | "backlog"
  | "ready"
  | "reserved"
  | "claimed"
  | "in_progress"
  | "implemented"
  | "integrated"
  | "blocked"
  | "conflict"
  | "abandoned"
  | "cancelled";

export interface Project {
  id: string;
  name: string;
  status: string;
  created_at: string;
}

export interface Phase {
  id: string;
  short_id?: string;
  name: string;
}

export interface Milestone {
  id: string;
  short_id?: string;
  name: string;
  phase_id?: string;
}

export interface WorkSpec {
  objective?: string;
  acceptance_criteria?: string[];
  constraints?: string[];
  interfaces?: string[];
  path_hints?: string[];
  candidate_task_ids?: string[];
}

export interface GraphTask {
  id: string;
  short_id?: string;
  title: string;
  description?: string;
  state: TaskState | string;
  priority: number;
  task_class?: string;
  capability_tags?: string[];
  phase_id?: string | null;
  milestone_id?: string | null;
  work_spec?: WorkSpec;
  created_at?: string;
  updated_at?: string;
}

export interface Dependency {
  from_task_id: string;
  to_task_id: string;
  unlock_on?: "implemented" | "integrated" | string;
}

export interface ProjectGraph {
  project?: Project;
  phases: Phase[];
  milestones: Milestone[];
  tasks: GraphTask[];
  dependencies: Dependency[];
}

export type Task = GraphTask;

export interface Artifact {
  id: string;
  short_id?: string;
  agent_id?: string;
  branch?: string | null;
  commit_sha?: string | null;
  check_status?: string;
  touched_files?: string[];
  created_at?: string;
}

export interface IntegrationAttempt {
  id: string;
  short_id?: string;
  base_sha?: string | null;
  head_sha?: string | null;
  result?: string;
  diagnostics?: Record<string, unknown>;
  started_at?: string;
  ended_at?: string | null;
}

export interface GateDecision {
  id: string;
  task_id: string;
  outcome: string;
  actor_id: string;
  reason?: string;
  evidence_refs?: string[];
  created_at: string;
}

export interface Checkpoint {
  task_id: string;
  task_short_id?: string;
  title: string;
  gate_type: string;
  state: string;
  scope?: { milestone_id?: string | null };
  age_hours: number;
  risk_summary?: { candidate_blocked?: number };
}

export interface Page<T> {
  items: T[];
  total?: number;
  limit?: number;
  offset?: number;
}

/** One event of the log as the stream and the timeline send it. */
export interface EventRecord {
  seq: number;
  stream?: string;
  version?: number;
  type: string;
  time: string;
  principal?: string;
  payload: Record<string, unknown>;
}
