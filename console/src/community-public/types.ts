/** The public Community Connect API's shapes (prefix /community/api), as the contract names them. */

export interface Choice {
  value: string;
  label: string;
}

export interface PublicStart {
  csrf_token: string;
  request_kinds: Choice[];
  covers: Choice[];
  max_cameras: number;
  max_retention_days: number;
  center: { lat: number; lon: number };
}

export interface AddressMatch {
  address: string;
  lat: number;
  lon: number;
  district: string | null;
}

export type SiteKind = "residence" | "business";
export type SiteStatus = "pending" | "active" | "paused";

export interface CameraIn {
  /** A registered camera keeps its id when the owner edits the registration. */
  id?: string | null;
  label: string;
  lat: number | null;
  lon: number | null;
  bearing: number | null;
  fov_angle: number | null;
  range_m: number | null;
  covers: string[];
}

export interface CameraOut extends CameraIn {
  id: string;
}

/** The registration without consent: what PUT /owner takes. */
export interface RegistrationUpdate {
  kind: SiteKind;
  name: string | null;
  contact_name: string;
  email: string;
  phone: string | null;
  address: string;
  lat: number;
  lon: number;
  retention_days: number;
  accepts: string[];
  contact_times: string | null;
  cameras: CameraIn[];
}

export interface RegistrationIn extends RegistrationUpdate {
  consent: boolean;
}

export interface RegistrationOut extends Omit<RegistrationUpdate, "cameras"> {
  cameras: CameraOut[];
}

export interface OwnerRequest {
  id: string;
  created_at: string;
  incident_type: string;
  kind: string;
  window_from: string;
  window_to: string;
  reason: string;
  status: string;
  answered_at: string | null;
}

export interface OwnerView {
  registration: RegistrationOut;
  status: SiteStatus;
  link_expires_at: string | null;
  requests: OwnerRequest[];
}

export interface DeletionReceipt {
  deleted_at: string;
  receipt: string;
}

export interface Accepted {
  message: string;
}

export interface Transparency {
  as_of: string;
  registrations: number;
  cameras: number;
  requests: number;
  answered: number;
  uploaded: number;
  declined: number;
  months: { month: string; requests: number; answered: number }[];
}

export type UploadStatus = "receiving" | "stored" | "rejected";

export interface UploadOut {
  id: string;
  filename: string;
  size: number;
  received: number;
  status: UploadStatus;
  media_type: string | null;
  sha256: string | null;
  problem: string | null;
}

export interface AnswerView {
  request_id: string;
  incident_type: string;
  kind: string;
  window_from: string;
  window_to: string;
  reason: string;
  cameras: { id: string; label: string }[];
  status: string;
  expires_at: string;
  footage_lost_at: string;
  max_file_bytes: number;
  chunk_bytes: number;
  accepted: string[];
  files: UploadOut[];
}
