import type { JsonSchema, ToolDefinition } from '../tool-definition.js'

// https://developers.google.com/workspace/drive/api/reference/rest/v3 (read 2026-12-07); paths are
// relative to https://www.googleapis.com/drive/v3. Drive answers only id, name, mimeType and kind
// unless `fields` asks for more, so every tool names the fields its map reads.
const REFERENCE = 'https://developers.google.com/workspace/drive/api/reference/rest/v3'
const FILE_FIELDS = 'id,name,mimeType,webViewLink,modifiedTime,size,parents,trashed'
const PERMISSION_FIELDS = 'id,type,role,emailAddress,domain,displayName'

const fileId: JsonSchema = {
  type: 'string',
  minLength: 1,
  description: "The file's or folder's id (from search_files).",
}

const fileProperties: Record<string, JsonSchema> = {
  id: { type: 'string' },
  name: { type: 'string' },
  mimeType: { type: 'string' },
  webViewLink: { type: 'string' },
  modifiedTime: { type: 'string' },
  size: { type: 'string' },
  parents: { type: 'array', items: { type: 'string' } },
  trashed: { type: 'boolean' },
}
const fileSchema: JsonSchema = { type: 'object', properties: fileProperties }
const fileMap = {
  id: 'id',
  name: 'name',
  mimeType: 'mimeType',
  url: 'webViewLink',
  modifiedTime: 'modifiedTime',
  size: 'size',
  parents: 'parents',
  trashed: 'trashed',
}

const permissionProperties: Record<string, JsonSchema> = {
  id: { type: 'string' },
  type: { type: 'string' },
  role: { type: 'string' },
  emailAddress: { type: 'string' },
  domain: { type: 'string' },
  displayName: { type: 'string' },
}

export const GOOGLE_DRIVE_TOOLS: ToolDefinition[] = [
  {
    slug: 'search_files',
    displayName: 'Search files',
    description:
      "Find files and folders in Drive with a query (name contains 'budget', mimeType = 'application/pdf', 'FOLDER_ID' in parents, trashed = false).",
    inputSchema: {
      type: 'object',
      properties: {
        q: {
          type: 'string',
          maxLength: 4096,
          description: 'Drive search query, e.g. "name contains \'Q4\' and trashed = false".',
        },
        pageSize: {
          type: 'integer',
          minimum: 1,
          maximum: 1000,
          description: 'Files per page (default 100).',
        },
        pageToken: { type: 'string', description: 'nextPageToken from the previous page.' },
        orderBy: {
          type: 'string',
          maxLength: 200,
          description: "Sort keys, e.g. 'modifiedTime desc' or 'folder,name' (not with fullText queries).",
        },
      },
      required: [],
      additionalProperties: false,
    },
    request: {
      method: 'GET',
      path: '/files',
      query: {
        q: 'q',
        pageSize: 'pageSize',
        pageToken: 'pageToken',
        orderBy: 'orderBy',
        fields: { const: `nextPageToken,incompleteSearch,files(${FILE_FIELDS})` },
        supportsAllDrives: { const: true },
        includeItemsFromAllDrives: { const: true },
      },
    },
    responseSchema: {
      type: 'object',
      properties: {
        nextPageToken: { type: 'string' },
        incompleteSearch: { type: 'boolean' },
        files: { type: 'array', items: fileSchema },
      },
    },
    responseFieldMap: {
      'files[].id': 'files[].id',
      'files[].name': 'files[].name',
      'files[].mimeType': 'files[].mimeType',
      'files[].url': 'files[].webViewLink',
      'files[].modifiedTime': 'files[].modifiedTime',
      'files[].size': 'files[].size',
      nextPageToken: 'nextPageToken',
      incompleteSearch: 'incompleteSearch',
    },
    annotations: { readOnly: true, idempotent: true },
    scopes: ['https://www.googleapis.com/auth/drive.readonly'],
    docsUrl: `${REFERENCE}/files/list`,
  },
  {
    slug: 'get_file',
    displayName: 'Get file details',
    description:
      "Read a file's metadata: name, type, link, size, folder, owners, description and last change.",
    inputSchema: {
      type: 'object',
      properties: { fileId },
      required: ['fileId'],
      additionalProperties: false,
    },
    request: {
      method: 'GET',
      path: '/files/{fileId}',
      query: {
        fields: { const: `${FILE_FIELDS},description,createdTime,owners(displayName,emailAddress)` },
        supportsAllDrives: { const: true },
      },
    },
    responseSchema: {
      type: 'object',
      properties: {
        ...fileProperties,
        description: { type: 'string' },
        createdTime: { type: 'string' },
        owners: {
          type: 'array',
          items: {
            type: 'object',
            properties: { displayName: { type: 'string' }, emailAddress: { type: 'string' } },
          },
        },
      },
    },
    responseFieldMap: {
      ...fileMap,
      description: 'description',
      createdTime: 'createdTime',
      'owners[].name': 'owners[].displayName',
      'owners[].email': 'owners[].emailAddress',
    },
    annotations: { readOnly: true, idempotent: true },
    scopes: ['https://www.googleapis.com/auth/drive.readonly'],
    docsUrl: `${REFERENCE}/files/get`,
  },
  {
    slug: 'create_folder',
    displayName: 'Create folder',
    description: 'Create a folder in Drive, at the top of My Drive or inside another folder.',
    inputSchema: {
      type: 'object',
      properties: {
        name: { type: 'string', minLength: 1, maxLength: 255, description: "The folder's name." },
        parents: {
          type: 'array',
          maxItems: 1,
          items: { type: 'string', minLength: 1 },
          description: 'The id of the folder to create it in, as a one-item list (default My Drive).',
        },
      },
      required: ['name'],
      additionalProperties: false,
    },
    request: {
      method: 'POST',
      path: '/files',
      query: { fields: { const: FILE_FIELDS }, supportsAllDrives: { const: true } },
      body: {
        fields: {
          name: 'name',
          mimeType: { const: 'application/vnd.google-apps.folder' },
          parents: 'parents',
        },
      },
    },
    responseSchema: fileSchema,
    responseFieldMap: fileMap,
    annotations: { readOnly: false },
    scopes: ['https://www.googleapis.com/auth/drive.file'],
    docsUrl: `${REFERENCE}/files/create`,
  },
  {
    slug: 'share_file',
    displayName: 'Share file',
    description:
      'Give a person, group, domain or anyone with the link access to a file or folder, as reader, commenter or writer.',
    inputSchema: {
      type: 'object',
      properties: {
        fileId,
        role: {
          type: 'string',
          enum: ['reader', 'commenter', 'writer', 'fileOrganizer', 'organizer'],
          description: 'The access to grant.',
        },
        type: {
          type: 'string',
          enum: ['user', 'group', 'domain', 'anyone'],
          description:
            'Who gets it: a user or group (emailAddress), a domain (domain), or anyone with the link.',
        },
        emailAddress: { type: 'string', format: 'email', description: 'For type user or group.' },
        domain: { type: 'string', maxLength: 253, description: 'For type domain, e.g. example.com.' },
        sendNotificationEmail: {
          type: 'boolean',
          description: 'Email the person (default true for users and groups).',
        },
        emailMessage: { type: 'string', maxLength: 2000, description: 'A note to include in that email.' },
      },
      required: ['fileId', 'role', 'type'],
      additionalProperties: false,
    },
    request: {
      method: 'POST',
      path: '/files/{fileId}/permissions',
      query: {
        sendNotificationEmail: 'sendNotificationEmail',
        emailMessage: 'emailMessage',
        fields: { const: PERMISSION_FIELDS },
        supportsAllDrives: { const: true },
      },
      body: { fields: { role: 'role', type: 'type', emailAddress: 'emailAddress', domain: 'domain' } },
    },
    responseSchema: { type: 'object', properties: permissionProperties },
    responseFieldMap: {
      id: 'id',
      type: 'type',
      role: 'role',
      emailAddress: 'emailAddress',
      domain: 'domain',
    },
    annotations: { readOnly: false },
    scopes: ['https://www.googleapis.com/auth/drive'],
    docsUrl: `${REFERENCE}/permissions/create`,
  },
  {
    slug: 'list_permissions',
    displayName: 'List who has access',
    description: 'List who can access a file or folder and with which role.',
    inputSchema: {
      type: 'object',
      properties: {
        fileId,
        pageSize: {
          type: 'integer',
          minimum: 1,
          maximum: 100,
          description: 'Permissions per page (max 100).',
        },
        pageToken: { type: 'string', description: 'nextPageToken from the previous page.' },
      },
      required: ['fileId'],
      additionalProperties: false,
    },
    request: {
      method: 'GET',
      path: '/files/{fileId}/permissions',
      query: {
        pageSize: 'pageSize',
        pageToken: 'pageToken',
        fields: { const: `nextPageToken,permissions(${PERMISSION_FIELDS})` },
        supportsAllDrives: { const: true },
      },
    },
    responseSchema: {
      type: 'object',
      properties: {
        nextPageToken: { type: 'string' },
        permissions: { type: 'array', items: { type: 'object', properties: permissionProperties } },
      },
    },
    responseFieldMap: {
      'permissions[].id': 'permissions[].id',
      'permissions[].type': 'permissions[].type',
      'permissions[].role': 'permissions[].role',
      'permissions[].emailAddress': 'permissions[].emailAddress',
      'permissions[].domain': 'permissions[].domain',
      'permissions[].name': 'permissions[].displayName',
      nextPageToken: 'nextPageToken',
    },
    annotations: { readOnly: true, idempotent: true },
    scopes: ['https://www.googleapis.com/auth/drive.readonly'],
    docsUrl: `${REFERENCE}/permissions/list`,
  },
  {
    slug: 'rename_file',
    displayName: 'Rename file',
    description: 'Give a file or folder a new name.',
    inputSchema: {
      type: 'object',
      properties: {
        fileId,
        name: { type: 'string', minLength: 1, maxLength: 255, description: 'The new name.' },
      },
      required: ['fileId', 'name'],
      additionalProperties: false,
    },
    request: {
      method: 'PATCH',
      path: '/files/{fileId}',
      query: { fields: { const: FILE_FIELDS }, supportsAllDrives: { const: true } },
      body: { fields: { name: 'name' } },
    },
    responseSchema: fileSchema,
    responseFieldMap: fileMap,
    annotations: { readOnly: false, destructive: true, idempotent: true },
    scopes: ['https://www.googleapis.com/auth/drive'],
    docsUrl: `${REFERENCE}/files/update`,
  },
  {
    slug: 'trash_file',
    displayName: 'Move to trash',
    description:
      'Move a file or folder (with its contents) to the trash; Drive deletes it for good after 30 days.',
    inputSchema: {
      type: 'object',
      properties: { fileId },
      required: ['fileId'],
      additionalProperties: false,
    },
    request: {
      method: 'PATCH',
      path: '/files/{fileId}',
      query: { fields: { const: FILE_FIELDS }, supportsAllDrives: { const: true } },
      body: { fields: { trashed: { const: true } } },
    },
    responseSchema: fileSchema,
    responseFieldMap: fileMap,
    annotations: { readOnly: false, destructive: true, idempotent: true },
    scopes: ['https://www.googleapis.com/auth/drive'],
    docsUrl: `${REFERENCE}/files/update`,
  },
]
